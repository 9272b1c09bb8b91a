import type { PlanView } from '@vpn/contracts';
import { Layers } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button, Card, CardBody, CardHeader, EmptyState, ErrorMessage, Input, PageHeader, SkeletonRows, controlClasses, cn } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { createPlan } from '../api/create-plan';
import { usePlans } from '../api/get-plans';
import { updatePlan } from '../api/update-plan';

function PlanRow({ plan, onChanged }: { plan: PlanView; onChanged: (p: PlanView) => void }) {
  const [name, setName] = useState(plan.name);
  const [max, setMax] = useState(String(plan.maxDevices));
  const save = useMutation(updatePlan);
  const dirty = name.trim() !== plan.name || Number(max) !== plan.maxDevices;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const patch: { name?: string; maxDevices?: number } = {};
    if (name.trim() !== plan.name) patch.name = name.trim();
    if (Number(max) !== plan.maxDevices) patch.maxDevices = Number(max);
    try {
      onChanged(await save.mutate({ id: plan.id, ...patch }));
    } catch {
      // shown below
    }
  };
  return (
    <li className="px-4 py-3 sm:px-5">
      <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3">
        <input aria-label="Plan name" className={cn(controlClasses, 'h-9 min-w-40 flex-1')} value={name} maxLength={64} required onChange={(e) => setName(e.target.value)} />
        <label className="inline-flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
          <input
            aria-label={`Maximum devices on ${plan.name}`}
            type="number"
            min={0}
            max={10000}
            required
            className={cn(controlClasses, 'h-9 w-24')}
            value={max}
            onChange={(e) => setMax(e.target.value)}
          />
          devices
        </label>
        <Button type="submit" size="sm" variant="secondary" disabled={!dirty} loading={save.isPending}>
          Save
        </Button>
      </form>
      <ErrorMessage className="mt-2" error={save.error} />
    </li>
  );
}

function NewPlanForm({ onCreated }: { onCreated: (p: PlanView) => void }) {
  const [name, setName] = useState('');
  const [max, setMax] = useState('5');
  const create = useMutation(createPlan);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onCreated(await create.mutate({ name: name.trim(), maxDevices: Number(max) }));
      setName('');
    } catch {
      // shown below
    }
  };
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <Input className="min-w-40 flex-1" label="Name" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} placeholder="Team" />
        <Input className="w-32" label="Max devices" type="number" min={0} max={10000} required value={max} onChange={(e) => setMax(e.target.value)} />
        <Button type="submit" loading={create.isPending}>
          Create plan
        </Button>
      </div>
      <ErrorMessage error={create.error} />
    </form>
  );
}

export function PlansAdmin() {
  const plans = usePlans();
  return (
    <div className="space-y-6">
      <PageHeader title="Plans" description="How many devices each user may have. New users get the default plan." />
      {plans.isLoading && !plans.data ? (
        <SkeletonRows rows={3} rowClassName="h-[60px]" />
      ) : plans.error && !plans.data ? (
        <ErrorMessage error={plans.error} onRetry={plans.refetch} title="Could not load plans" />
      ) : plans.data && plans.data.length === 0 ? (
        <EmptyState icon={<Layers className="size-10" aria-hidden="true" />} title="No plans" description="Create a plan below to set how many devices users may add." />
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Plans">
            {plans.data?.map((p) => (
              <PlanRow key={`${p.id}:${p.name}:${p.maxDevices}`} plan={p} onChanged={(n) => plans.setData((prev) => prev?.map((x) => (x.id === n.id ? n : x)))} />
            ))}
          </ul>
        </Card>
      )}
      <Card>
        <CardHeader title="New plan" />
        <CardBody>
          <NewPlanForm onCreated={(p) => plans.setData((prev) => [...(prev ?? []), p])} />
        </CardBody>
      </Card>
    </div>
  );
}
