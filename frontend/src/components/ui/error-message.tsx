import { AlertTriangle, RotateCw } from 'lucide-react';
import { errorText } from '@/lib/api-errors';
import { Button } from './button';
import { cn } from './cn';

/** A failed request, in words: the error code's message (never a stack), with a retry when possible. */
export function ErrorMessage({ error, onRetry, title, className }: { error: unknown; onRetry?: () => void; title?: string; className?: string }) {
  if (!error) return null;
  return (
    <div
      role="alert"
      className={cn(
        'flex items-start gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200',
        className,
      )}
    >
      <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        <p>{errorText(error)}</p>
      </div>
      {onRetry ? (
        <Button size="sm" variant="secondary" onClick={onRetry} icon={<RotateCw className="size-3.5" aria-hidden="true" />}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

export function Notice({ tone = 'info', children, className }: { tone?: 'info' | 'warning'; children: React.ReactNode; className?: string }) {
  return (
    <div
      role="note"
      className={cn(
        'rounded-lg border px-4 py-3 text-sm',
        tone === 'warning'
          ? 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200'
          : 'border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200',
        className,
      )}
    >
      {children}
    </div>
  );
}
