/** Vietnamese messages of the agencies and data-retention pages; the same keys as en-admin.ts. */
import type { enAdmin } from './en-admin';

export const viAdmin: Record<keyof typeof enAdmin, string> = {
  'menu.agencies': 'Cơ quan, đơn vị',
  'menu.retention': 'Lưu giữ dữ liệu',

  'agencies.title': 'Cơ quan, đơn vị',
  'agencies.summary': '{count} cơ quan, đơn vị',
  'agencies.none': 'Chưa có cơ quan, đơn vị nào trong socnoc.yaml.',
  'agencies.id': 'Mã',
  'agencies.name': 'Tên',
  'agencies.networks': 'Dải mạng (CIDR)',
  'agencies.noNetworks': 'Không có dải mạng: sự kiện được gán theo cách khác',
  'agencies.users': 'Người dùng',
  'agencies.devices': 'Thiết bị',
  'agencies.agents': 'Tác tử',
  'agencies.configHint': 'Cơ quan, đơn vị và dải mạng của họ được khai báo trong mục agencies của socnoc.yaml.',

  'retention.title': 'Lưu giữ dữ liệu',
  'retention.settings': 'Thiết lập lưu giữ',
  'retention.setting': 'Thiết lập',
  'retention.keptFor': 'Thời gian lưu giữ',
  'retention.days': '{days} ngày',
  'retention.configHint': 'Thời gian lưu giữ được thay đổi trong socnoc.yaml (retention.days cho sự kiện, snmp.metrics.* cho số liệu thiết bị, netflow.aggregate.retentionDays cho luồng mạng) và có hiệu lực khi khởi động lại socnoc.',
  'retention.events': 'Sự kiện đã lưu',
  'retention.oldest': 'Sự kiện cũ nhất còn lưu',
  'retention.deletesBefore': 'Các ngày trước {day} sẽ bị xóa ở lần dọn dữ liệu tiếp theo',
  'retention.totalSize': 'Dung lượng trên đĩa',
  'retention.partitions': 'Phân vùng theo ngày',
  'retention.day': 'Ngày (UTC)',
  'retention.size': 'Dung lượng',
  'retention.noEvents': 'Chưa có sự kiện nào được lưu.',
  'retention.expiring': 'Sắp bị xóa',
};
