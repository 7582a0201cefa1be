/**
 * The little Markdown the service writes in hovers and completion docs: ```nn fences, `code`,
 * **bold** and paragraphs. Everything is escaped first; nothing from the text becomes markup.
 */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

export function renderMarkdown(markdown: string): string {
  const parts = markdown.split(/^```[a-z]*\n?/m);
  let html = '';
  parts.forEach((part, i) => {
    if (i % 2 === 1) html += `<pre class="nn-code">${escape(part.replace(/\n$/, ''))}</pre>`;
    else
      for (const paragraph of part.split(/\n\s*\n/)) {
        if (paragraph.trim()) html += `<p>${inline(paragraph.trim())}</p>`;
      }
  });
  return html;
}
