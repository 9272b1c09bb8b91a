import { DevicesList } from '@/features/devices/components/devices-list';

export function DevicesRoute() {
  return <DevicesList />;
}
