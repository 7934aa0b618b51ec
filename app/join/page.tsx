// /join: a learner joins a workshop with the code on the projector and a name; no account.
import type { Metadata } from 'next';
import Link from 'next/link';
import { JoinForm } from '@/components/workshops/JoinForm';
import { WORKSHOP_POLICY } from '@/lib/workshops/workshop-policy';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Join a workshop' };

export default async function JoinPage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const { code } = await searchParams;
  return (
    <main className="reading">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Lessons</Link> / <span>Join a workshop</span>
      </nav>
      <h1>Join a workshop</h1>
      <p className="muted">Type the code your instructor shows and the name you want them to see.</p>
      <JoinForm
        initialCode={typeof code === 'string' ? code : ''}
        nameMaxLength={WORKSHOP_POLICY.displayNameMaxLength}
      />
    </main>
  );
}
