/**
 * Vietnamese rule titles end to end below the browser: socnoc's rule pack loaded by the real Sigma
 * loader (custom attributes kept in `raw`), the titles picked by ruleTitlesFrom, and answered by
 * GET /api/v1/console/rule-titles on a real HTTP server.
 */
import { join } from 'node:path';
import { createLogger } from '../core/logger';
import { startHarness } from '../core/http/testdata/harness';
import { loadFieldMappings } from '../correlation/sigma/field-mapping';
import { loadSigmaRules } from '../correlation/sigma/load';
import { consoleConfigSchema } from '../dashboards/config';
import { consoleHttpModule } from '../dashboards/http';
import { ruleTitlesFrom, VI_TITLE_FIELD } from '../dashboards/rule-titles';

const sigmaDir = join(__dirname, '..', 'rules', 'sigma');
const loaded = loadSigmaRules([join(sigmaDir, 'socnoc')], { mappings: loadFieldMappings(join(sigmaDir, 'mappings')) });
const documents = [...loaded.rules.map((r) => r.rule), ...loaded.correlations];

/** Letters Vietnamese writes and English does not (with their capitals). */
const VIETNAMESE_LETTER = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

describe('Vietnamese rule titles', () => {
  it('are carried by every rule of socnoc\'s pack, correlations included, in Vietnamese with diacritics', () => {
    expect(loaded.errors).toEqual([]);
    const titles = ruleTitlesFrom(documents);
    const missing = documents.filter((d) => !titles.has(d.id ?? d.title)).map((d) => d.title);
    expect(missing).toEqual([]);
    for (const [key, vi] of titles) expect(`${key}: ${VIETNAMESE_LETTER.test(vi)}`).toBe(`${key}: true`);
    const byTitle = new Map(documents.map((d) => [d.title, titles.get(d.id ?? d.title)]));
    expect(byTitle.get('Direct SSH Login as root')).toBe('Đăng nhập SSH trực tiếp bằng tài khoản root');
    expect(byTitle.get('SSH Login After Repeated Failures From the Same Address')).toBe('Đăng nhập SSH thành công sau nhiều lần thất bại từ cùng một địa chỉ');
    expect(byTitle.get('Network Device Down')).toBe('Thiết bị mạng ngừng hoạt động');
  });

  it('ignores values that are not a title and keys rules by id and by written title', () => {
    const titles = ruleTitlesFrom([
      { id: 'r1', title: 'A', raw: { [VI_TITLE_FIELD]: '  Đăng nhập thất bại  ' } },
      { title: 'No id rule', raw: { [VI_TITLE_FIELD]: 'Quy tắc không có mã' } },
      { id: 'r3', title: 'C', raw: { [VI_TITLE_FIELD]: 42 } },
      { id: 'r4', title: 'D', raw: { [VI_TITLE_FIELD]: '' } },
      { id: 'r5', title: 'E', raw: {} },
    ]);
    expect([...titles]).toEqual([
      ['r1', 'Đăng nhập thất bại'],
      ['A', 'Đăng nhập thất bại'],
      ['No id rule', 'Quy tắc không có mã'],
    ]);
  });

  it('are answered by the console route to any signed-in user', async () => {
    const titles = ruleTitlesFrom(documents);
    const h = await startHarness({ modules: [consoleHttpModule({ config: consoleConfigSchema.parse({ enabled: false }), agencies: [], logger: createLogger('silent'), ruleTitles: () => titles })] });
    try {
      const analyst = await h.login('analyst.hn');
      const res = await h.get('/api/v1/console/rule-titles', analyst);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { titles: Record<string, string> };
      expect(Object.keys(body.titles)).toHaveLength(titles.size);
      expect(body.titles['ca4cbf56-c5f7-49e4-a0d0-63d5929f6314']).toBe('Đăng nhập SSH trực tiếp bằng tài khoản root');
      expect((await h.get('/api/v1/console/rule-titles')).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
