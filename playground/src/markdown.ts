/**
 * The little Markdown the service writes in hovers and completion docs: ```nn fences, `code`,
 * **bold**, `- ` lists, `---` rules and paragraphs. Everything is escaped first; nothing from
 * the text becomes markup.
 */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function prose(text: string): string {
  let html = '';
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) html += `<p>${inline(paragraph.join(' '))}</p>`;
    if (list.length > 0) html += `<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    paragraph = [];
    list = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') flush();
    else if (line === '---') (flush(), (html += '<hr>'));
    else if (line.startsWith('- ')) {
      if (paragraph.length > 0) {
        html += `<p>${inline(paragraph.join(' '))}</p>`;
        paragraph = [];
      }
      list.push(line.slice(2));
    } else {
      if (list.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return html;
}

export function renderMarkdown(markdown: string): string {
  return markdown
    .split(/^```[a-z]*\n?/m)
    .map((part, i) => (i % 2 === 1 ? `<pre class="nn-code">${escape(part.replace(/\n$/, ''))}</pre>` : prose(part)))
    .join('');
}
