/** Prints a report document as standalone HTML (printable, no external resources) or plain text. */
import type { ReportDocument } from './build';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function htmlValue(value: string): string {
  return escapeHtml(value).replace(/\n/g, '<br>');
}

export function renderHtml(doc: ReportDocument): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push(`<html lang="${doc.lang}"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>`);
  out.push(
    '<style>body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11pt;max-width:800px;margin:2em auto;line-height:1.4}' +
      '.motto,.title,.recipient{text-align:center}.form{text-align:right;font-style:italic}h2{font-size:11pt;margin-top:1.5em}' +
      'table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:4px 6px;vertical-align:top;text-align:left}th{width:38%;font-weight:normal}' +
      '.signature{margin-top:3em;margin-left:55%;text-align:center}.footer{margin-top:3em;font-size:8pt;color:#555}</style>',
  );
  out.push('</head><body>');
  out.push(`<p class="form">${escapeHtml(doc.formName)}</p>`);
  out.push(`<p class="motto"><b>${doc.motto.map(escapeHtml).join('</b><br><b>')}</b></p>`);
  out.push(`<p class="recipient">${escapeHtml(doc.recipient)}</p>`);
  out.push(`<h1 class="title" style="font-size:13pt">${escapeHtml(doc.title)}</h1>`);
  for (const section of doc.sections) {
    out.push(`<h2>${escapeHtml(section.heading)}</h2><table>`);
    for (const field of section.fields) out.push(`<tr><th>${escapeHtml(field.label)}</th><td>${htmlValue(field.value)}</td></tr>`);
    out.push('</table>');
  }
  out.push(`<div class="signature"><b>${escapeHtml(doc.signature.line)}</b><br><i>${escapeHtml(doc.signature.hint)}</i></div>`);
  out.push(`<p class="footer">${escapeHtml(doc.footer)}</p>`);
  out.push('</body></html>');
  return out.join('\n') + '\n';
}

export function renderText(doc: ReportDocument): string {
  const out: string[] = [];
  out.push(doc.formName);
  out.push(...doc.motto);
  out.push('');
  out.push(doc.recipient);
  out.push('');
  out.push(doc.title);
  out.push('='.repeat(doc.title.length));
  for (const section of doc.sections) {
    out.push('');
    out.push(section.heading);
    out.push('-'.repeat(section.heading.length));
    for (const field of section.fields) {
      const lines = field.value.split('\n');
      out.push(`${field.label}: ${lines[0]}`);
      for (let i = 1; i < lines.length; i++) out.push(`    ${lines[i]}`);
    }
  }
  out.push('');
  out.push(doc.signature.line);
  out.push(doc.signature.hint);
  out.push('');
  out.push(doc.footer);
  return out.join('\n') + '\n';
}
