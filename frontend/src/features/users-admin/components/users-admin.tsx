import type { AdminUserView, PlanView, Role } from '@vpn/contracts';
import { Users } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Badge, Button, Card, EmptyState, ErrorMessage, Input, PageHeader, SkeletonRows, Switch, controlClasses, cn } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { usePlanChoices } from '../api/get-plans';
import { useUsers } from '../api/get-users';
import { updateUser, type UpdateUserInput } from '../api/update-user';

function UserRow({ user, plans, onChanged }: { user: AdminUserView; plans: PlanView[] | undefined; onChanged: (u: AdminUserView) => void }) {
  const update = useMutation(updateUser);
  const apply = async (patch: Omit<UpdateUserInput, 'id'>) => {
    try {
      const r = await update.mutate({ id: user.id, ...patch });
      onChanged(r);
    } catch {
      // shown below
    }
  };
  return (
    <li className="px-4 py-3 sm:px-5" aria-label={user.email}>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
        <div className="min-w-48 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-all">{user.email}</span>
            {user.disabled ? <Badge tone="danger">Disabled</Badge> : null}
            {user.role === 'admin' ? <Badge tone="info">Admin</Badge> : null}
          </div>
          <p className="text-sm text-slate-500 dark:text-slate-400">{user.devicesUsed} device(s)</p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <select
            aria-label={`Plan of ${user.email}`}
            className={cn(controlClasses, 'h-9 w-36')}
            value={user.planId}
            disabled={update.isPending || !plans}
            onChange={(e) => void apply({ planId: e.target.value })}
          >
            {plans ? plans.map((p) => <option key={p.id} value={p.id}>{`${p.name} (${p.maxDevices})`}</option>) : <option value={user.planId}>…</option>}
          </select>
          <select
            aria-label={`Role of ${user.email}`}
            className={cn(controlClasses, 'h-9 w-28')}
            value={user.role}
            disabled={update.isPending}
            onChange={(e) => void apply({ role: e.target.value as Role })}
          >
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
          <label className="inline-flex items-center gap-2 text-sm">
            <Switch checked={user.disabled} disabled={update.isPending} label={`Disable ${user.email}`} onChange={(disabled) => void apply({ disabled })} />
            Disabled
          </label>
        </div>
      </div>
      <ErrorMessage className="mt-2" error={update.error} />
    </li>
  );
}

/** `value`, once it has stopped changing for `ms`: one request per pause in typing, not per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function UsersAdmin() {
  const [search, setSearch] = useState('');
  const query = useSettled(search.trim(), 300);
  const users = useUsers(query);
  const plans = usePlanChoices();
  return (
    <div>
      <PageHeader title="Users" description="Change a user’s plan or role, or disable the account (their sessions end at once)." />
      {plans.error ? <ErrorMessage className="mb-4" error={plans.error} onRetry={plans.refetch} title="Could not load plans" /> : null}
      <Input className="mb-4 max-w-sm" label="Search by email" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name@example.com" />
      {users.isLoading && !users.data ? (
        <SkeletonRows rows={4} rowClassName="h-[68px]" />
      ) : users.error && !users.data ? (
        <ErrorMessage error={users.error} onRetry={users.refetch} title="Could not load users" />
      ) : users.data && users.data.items.length === 0 ? (
        query ? (
          <EmptyState icon={<Users className="size-10" aria-hidden="true" />} title="No matching users" description={`No email contains “${query}”.`} />
        ) : (
          <EmptyState icon={<Users className="size-10" aria-hidden="true" />} title="No users yet" description="People appear here once they register on the sign-up page." />
        )
      ) : (
        <>
          <Card>
            <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Users">
              {users.data?.items.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  plans={plans.data}
                  onChanged={(n) => users.setData((prev) => prev && { ...prev, items: prev.items.map((p) => (p.id === n.id ? n : p)) })}
                />
              ))}
            </ul>
          </Card>
          <ErrorMessage className="mt-4" error={users.moreError} onRetry={() => void users.loadMore()} title="Could not load more users" />
          {users.data?.nextCursor ? (
            <div className="mt-4 flex justify-center">
              <Button variant="secondary" loading={users.loadingMore} onClick={() => void users.loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
