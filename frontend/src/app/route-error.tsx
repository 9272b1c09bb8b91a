import { AlertTriangle } from 'lucide-react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router-dom';
import { buttonClasses, EmptyState } from '@/components/ui';
import { paths } from '@/config/paths';
import { errorText } from '@/lib/api-errors';

/** A route's error boundary: a sentence and a way out, never a stack. */
export function RouteError() {
  const error = useRouteError();
  const chunkFailed = error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message);
  const text = isRouteErrorResponse(error)
    ? error.status === 404
      ? 'There is no page at this address.'
      : error.statusText
    : chunkFailed
      ? 'A new version of the dashboard is available. Reload the page.'
      : errorText(error);
  return (
    <div className="mx-auto max-w-lg px-4 py-16">
      <EmptyState
        icon={<AlertTriangle className="size-10" aria-hidden="true" />}
        title="Something went wrong"
        description={text}
        action={
          <div className="flex gap-2">
            <button className={buttonClasses('secondary')} onClick={() => window.location.reload()}>
              Reload
            </button>
            <Link to={paths.devices} className={buttonClasses('primary')}>
              Go to devices
            </Link>
          </div>
        }
      />
    </div>
  );
}
