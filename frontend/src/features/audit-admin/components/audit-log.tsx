import type { AuditEntryView } from '@vpn/contracts';
import { ChevronLeft, ChevronRight, ScrollText } from 'lucide-react';
import { useState } from 'react';
import { Badge, Button, Card, EmptyState, ErrorMessage, PageHeader, SkeletonRows } from '@/components/ui';
import { formatDateTime } from '@/lib/format';
import { AUDIT_PAGE_SIZE, useAuditPage } from '../api/get-audit';

function Entry({ e }: { e: AuditEntryView }) {
  const hasData = Object.keys(e.data ?? {}).length > 0;
  return (
    <li className="px-4 py-3 sm:px-5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Badge tone="info">{e.type}</Badge>
        <time className="text-sm text-slate-500 dark:text-slate-400" dateTime={e.occurredAt}>
          {formatDateTime(e.occurredAt)}
        </time>
      </div>
      <p className="mt-1 text-sm break-all text-slate-600 dark:text-slate-300">
        {e.subject ? <>Subject <span className="font-mono text-xs">{e.subject}</span></> : 'No subject'}
        {' · '}
        {e.actorId ? <>by <span className="font-mono text-xs">{e.actorId}</span></> : 'by the system'}
      </p>
      {hasData ? (
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer rounded text-slate-500 select-none hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">Details</summary>
          <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono dark:bg-slate-950">{JSON.stringify(e.data, null, 2)}</pre>
        </details>
      ) : null}
    </li>
  );
}

export function AuditLog() {
  // Cursors of the pages visited so far; the last one is the page shown.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const before = cursors[cursors.length - 1];
  const page = useAuditPage(before);
  const entries = page.data?.slice(0, AUDIT_PAGE_SIZE);
  const hasOlder = (page.data?.length ?? 0) > AUDIT_PAGE_SIZE;
  const pageNo = cursors.length;

  return (
    <div>
      <PageHeader title="Audit log" description="Every change to accounts, servers, plans and devices, newest first." />
      {page.isLoading && !page.data ? (
        <SkeletonRows rows={6} rowClassName="h-[60px]" />
      ) : page.error && !page.data ? (
        <ErrorMessage error={page.error} onRetry={page.refetch} title="Could not load the audit log" />
      ) : entries && entries.length === 0 ? (
        <EmptyState icon={<ScrollText className="size-10" aria-hidden="true" />} title="Nothing recorded yet" description="Sign-ins, new devices and server changes show up here as they happen." />
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Audit entries" aria-busy={page.isLoading}>
            {entries?.map((e) => <Entry key={e.id} e={e} />)}
          </ul>
        </Card>
      )}
      <nav className="mt-4 flex items-center justify-between gap-2" aria-label="Audit pages">
        <Button variant="secondary" size="sm" disabled={pageNo === 1 || page.isLoading} onClick={() => setCursors((c) => c.slice(0, -1))} icon={<ChevronLeft className="size-4" aria-hidden="true" />}>
          Newer
        </Button>
        <span className="text-sm text-slate-500 dark:text-slate-400">Page {pageNo}</span>
        <Button
          variant="secondary"
          size="sm"
          disabled={!hasOlder || page.isLoading}
          onClick={() => entries && setCursors((c) => [...c, entries[entries.length - 1].id])}
        >
          Older
          <ChevronRight className="size-4" aria-hidden="true" />
        </Button>
      </nav>
    </div>
  );
}
