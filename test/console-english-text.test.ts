/** The English-sentence finder the browser test runs over every Vietnamese page, on real page text. */
import { englishLines } from './console/english-text';

describe('englishLines', () => {
  it('finds sentences the server wrote in English among Vietnamese labels', () => {
    const page = [
      'Diễn biến',
      '08:17:08 27/11/26 system:grouping Tạo mới incident opened: SSH Login From a Public Internet Address (source.ip 198.51.100.23)',
      'Gửi: VNCERT/CC (national coordinator)',
      'Báo cáo ban đầu sự cố (Thông tư 20/2017, Mẫu 03)',
      'Lỗi: denied by lan.q1: nguồn nội bộ',
    ].join('\n');
    expect(englishLines(page)).toEqual([
      '08:17:08 27/11/26 system:grouping Tạo mới incident opened: SSH Login From a Public Internet Address (source.ip 198.51.100.23)',
      'Gửi: VNCERT/CC (national coordinator)',
      'Lỗi: denied by lan.q1: nguồn nội bộ',
    ]);
  });

  it('leaves Vietnamese, identifiers and the query operators alone', () => {
    const page = [
      'An toàn thông tin (SOC)',
      'Đối tượng liên quan host.name: vm source.ip: 198.51.100.23 user.name: root',
      'INC-2026-000001 Trung bình Mới mở',
      'trường:giá trị, ký tự đại diện (user.name:adm*), khoảng (destination.port >= 1024), and / or / not, dấu ngoặc',
      'Kịch bản brute-force: bước notify-soc (notify.email) thành công',
    ].join('\n');
    expect(englishLines(page)).toEqual([]);
  });
});
