import { LogIn } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Input, Notice } from '@/components/ui';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/auth';
import { useMutation } from '@/lib/query';

export function LoginForm({ onSuccess, expired }: { onSuccess: () => void; expired?: boolean }) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useMutation((a: { email: string; password: string }) => login(a.email, a.password));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await submit.mutate({ email: email.trim(), password });
      onSuccess();
    } catch {
      // shown below
    }
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      {expired ? <Notice>Your session ended. Sign in again to continue.</Notice> : null}
      <Input label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <Input
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ErrorMessage error={submit.error} />
      <Button type="submit" className="w-full" loading={submit.isPending} icon={<LogIn className="size-4" aria-hidden="true" />}>
        Sign in
      </Button>
      <p className="text-center text-sm text-slate-500 dark:text-slate-400">
        No account yet?{' '}
        <Link to={paths.register} className="font-medium text-teal-700 underline-offset-4 hover:underline dark:text-teal-400">
          Create one
        </Link>
      </p>
    </form>
  );
}
