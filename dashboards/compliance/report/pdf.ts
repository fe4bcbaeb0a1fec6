/**
 * The report as PDF (pdfkit) with DejaVu Sans embedded: the standard 14 PDF fonts have no
 * Vietnamese glyphs (ằ, ể, ự…), so without an embedded font the diacritics would be lost.
 */
import PDFDocument from 'pdfkit';
import type { Block, Tone } from './outline';

const COLORS: Record<Tone, string> = { good: '#1b7f3b', bad: '#b3261e', warn: '#9a6700', muted: '#555555', plain: '#111111' };

function fontFiles(): { regular: string; bold: string } {
  return { regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf') };
}

export async function renderPdf(blocks: readonly Block[], info: { title: string; lang: string; createdAt: number }): Promise<Buffer> {
  const fonts = fontFiles();
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: info.title, Creator: 'socnoc', CreationDate: new Date(info.createdAt) }, lang: info.lang });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 100;
  for (const b of blocks) {
    switch (b.type) {
      case 'h1':
        doc.font('bold').fontSize(16).fillColor('#000000').text(b.text, { width }).moveDown(0.5);
        break;
      case 'h2':
        doc.addPage();
        doc.font('bold').fontSize(13).fillColor('#000000').text(b.text, { width }).moveDown(0.3);
        break;
      case 'h3':
        doc.moveDown(0.4).font('bold').fontSize(10.5).fillColor('#000000').text(b.text, { width }).moveDown(0.15);
        break;
      case 'p':
        doc.font('body').fontSize(9.5).fillColor(COLORS[b.tone]).text(b.text, { width });
        break;
      case 'bullet': {
        const indent = 12 + b.indent * 14;
        doc.font('body').fontSize(9).fillColor(COLORS[b.tone]).text(`${b.indent === 0 ? '•' : '–'} ${b.text}`, doc.page.margins.left + indent, doc.y, { width: width - indent });
        doc.x = doc.page.margins.left;
        break;
      }
      case 'table': {
        const first = 170;
        const col = (width - first) / (b.header.length - 1);
        const row = (cells: readonly string[], bold: boolean): void => {
          if (doc.y > doc.page.height - 80) doc.addPage();
          const y = doc.y;
          let h = 0;
          doc.font(bold ? 'bold' : 'body').fontSize(8).fillColor('#111111');
          cells.forEach((c, i) => {
            const x = doc.page.margins.left + (i === 0 ? 0 : first + (i - 1) * col);
            const w = i === 0 ? first - 4 : col - 4;
            h = Math.max(h, doc.heightOfString(c, { width: w }));
            doc.text(c, x, y, { width: w, align: i === 0 ? 'left' : 'center' });
          });
          doc.x = doc.page.margins.left;
          doc.y = y + h + 3;
        };
        row(b.header, true);
        for (const r of b.rows) row(r, r === b.rows[b.rows.length - 1]);
        doc.moveDown(0.3);
        break;
      }
    }
  }
  doc.end();
  return done;
}
