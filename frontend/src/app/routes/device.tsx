import { useParams } from 'react-router-dom';
import { DeviceDetail } from '@/features/devices/components/device-detail';

export function DeviceRoute() {
  const { id = '' } = useParams();
  return <DeviceDetail key={id} id={id} />;
}
