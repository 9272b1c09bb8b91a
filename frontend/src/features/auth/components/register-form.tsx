import { UserPlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Input } from '@/components/ui';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/auth';
import { useMutation } from '@/lib/query';
import { register } from '../api/register';

/** Creates the account, then signs in with it. */
export function RegisterForm({ onSuccess }: { onSuccess: () => void }) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const submit = useMutation(async (a: { email: string; password: string }) => {
    await register(a);
    await login(a.email, a.password);
  });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 10) return setLocalError('Use at least 10 characters.');
    if (password !== confirm) return setLocalError('The passwords do not match.');
    setLocalError(null);
    try {
      await submit.mutate({ email: email.trim(), password });
      onSuccess();
    } catch {
      // shown below
    }
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Input label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <Input
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={256}
        hint="At least 10 characters, not your email, not a common password."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Input
        label="Confirm password"
        type="password"
        name="confirm"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={localError}
      />
      <ErrorMessage error={submit.error} />
      <Button type="submit" className="w-full" loading={submit.isPending} icon={<UserPlus className="size-4" aria-hidden="true" />}>
        Create account
      </Button>
      <p className="text-center text-sm text-slate-500 dark:text-slate-400">
        Already have an account?{' '}
        <Link to={paths.login()} className="font-medium text-teal-700 underline-offset-4 hover:underline dark:text-teal-400">
          Sign in
        </Link>
      </p>
    </form>
  );
}
