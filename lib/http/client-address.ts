// The address a request comes from, as far as rate limits need it: the first hop of X-Forwarded-For
// (which Next.js's server sets from the socket), else "unknown" (all such requests share one limit).
import type { NextRequest } from 'next/server';

export function clientAddress(request: NextRequest): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}
