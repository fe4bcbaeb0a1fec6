/** The report as one self-contained HTML page (no scripts, inline styles). */
import type { Block, Tone } from './outline';
import type { ReportLang } from './strings';

const COLORS: Record<Tone, string> = { good: '#1b7f3b', bad: '#b3261e', warn: '#9a6700', muted: '#666', plain: '#111' };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function renderHtml(blocks: readonly Block[], lang: ReportLang): string {
  const out: string[] = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(blocks.find((b) => b.type === 'h1')?.type === 'h1' ? (blocks[0] as { text: string }).text : 'socnoc')}</title>`,
    '<style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#111;line-height:1.4}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}td:first-child,th:first-child{text-align:left}li.i1{margin-left:1.5rem}</style></head><body>',
  ];
  let inList = false;
  for (const b of blocks) {
    if (b.type !== 'bullet' && inList) {
      out.push('</ul>');
      inList = false;
    }
    switch (b.type) {
      case 'h1':
      case 'h2':
      case 'h3':
        out.push(`<${b.type}>${escapeHtml(b.text)}</${b.type}>`);
        break;
      case 'p':
        out.push(`<p style="color:${COLORS[b.tone]}">${escapeHtml(b.text)}</p>`);
        break;
      case 'bullet':
        if (!inList) {
          out.push('<ul>');
          inList = true;
        }
        out.push(`<li class="i${b.indent}" style="color:${COLORS[b.tone]}">${escapeHtml(b.text)}</li>`);
        break;
      case 'table':
        out.push(`<table><thead><tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`);
        for (const row of b.rows) out.push(`<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
        out.push('</tbody></table>');
        break;
    }
  }
  if (inList) out.push('</ul>');
  out.push('</body></html>\n');
  return out.join('\n');
}
