import { Link } from 'react-router-dom';
import { buttonClasses, EmptyState } from '@/components/ui';
import { paths } from '@/config/paths';

export function NotFoundRoute() {
  return (
    <div className="py-8">
      <EmptyState
        title="Page not found"
        description="There is nothing at this address. Check the link, or go back to your devices."
        action={
          <Link to={paths.devices} className={buttonClasses('secondary')}>
            Go to devices
          </Link>
        }
      />
    </div>
  );
}
