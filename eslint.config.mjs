// ESLint: Next.js's rules (React, hooks, Core Web Vitals) and typescript-eslint's, over the whole tree.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // `{ omitted: _omitted, ...rest }` and `_unused` parameters say on purpose that a value is left out.
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'next-env.d.ts',
    'lib/db/generated/**',
    'lib/db/generated-pg/**',
    'data/**',
    'test-results/**',
    'playwright-report/**',
    // The curriculum's files are what learners edit and run; they are judged by what they do.
    'lessons/**',
    'lab-images/**',
  ]),
]);
