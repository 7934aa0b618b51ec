// Lesson and exercise text: Markdown to HTML, with code highlighted on the server. The text is the
// project's own curriculum (trusted); learners' text is never rendered as HTML.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import python from 'highlight.js/lib/languages/python';
import yaml from 'highlight.js/lib/languages/yaml';
import { Marked } from 'marked';
import { headingIdCounter } from './lessons/heading-ids';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('sh', bash);
hljs.registerLanguage('dockerfile', dockerfile);
hljs.registerLanguage('ini', ini);
hljs.registerLanguage('js', javascript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('python', python);
hljs.registerLanguage('yaml', yaml);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Heading ids repeat per page: the counter starts again for each text rendered.
let nextHeadingId = headingIdCounter();

const marked = new Marked({
  renderer: {
    heading({ tokens, depth, text }) {
      // An id per heading, so a hint can link to the section that teaches its idea.
      return `<h${depth} id="${nextHeadingId(text.replace(/`/g, ''))}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    code({ text, lang }) {
      const language = lang && hljs.getLanguage(lang) ? lang : undefined;
      const html = language ? hljs.highlight(text, { language }).value : escapeHtml(text);
      return `<pre class="code"><code class="hljs${language ? ` language-${language}` : ''}">${html}</code></pre>\n`;
    },
  },
});

/** HTML for a Markdown text of the curriculum. */
export function renderMarkdown(text: string): string {
  nextHeadingId = headingIdCounter();
  return marked.parse(text, { async: false }) as string;
}
