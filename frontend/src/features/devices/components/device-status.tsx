import type { ConfigView } from '@vpn/contracts';
import { Badge } from '@/components/ui';
import { isOnline } from '@/lib/format';

export function DeviceStatus({ config }: { config: ConfigView }) {
  if (config.status === 'suspended') return <Badge tone="warning" dot>Suspended</Badge>;
  if (isOnline(config.lastHandshakeAt)) return <Badge tone="success" dot>Connected</Badge>;
  return <Badge tone="neutral" dot>Active</Badge>;
}
