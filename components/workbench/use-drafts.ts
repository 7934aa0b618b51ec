'use client';
// The learner's files of one exercise as drafts that survive a reload: saved on the server as the
// learner types (and in this browser, for when the server cannot be reached). The server's copy wins:
// it is the one other browsers see too.
import { useEffect, useRef, useState } from 'react';
import { learnerReady } from './learner-ready';

/** One file of the exercise, as the learner edits it. */
export interface DraftFile {
  name: string;
  content: string;
}

/** Where saving the draft stands, for the toolbar. */
export type DraftSaveState = 'saved' | 'saving' | 'offline' | null;

/** The drafts of one exercise. */
export interface Drafts {
  files: DraftFile[];
  /** False until the server's saved draft (or none) is known: the editor cannot be edited until then. */
  loaded: boolean;
  saved: DraftSaveState;
  /**
   * Counts the times `files` was replaced by something other than the learner's typing (the saved draft
   * read, a reset): the editor owns the text while the learner types and takes `files` only then.
   */
  revision: number;
  edit(name: string, content: string): void;
  /** Replaces the draft with the starter files, here and on the server. */
  resetToStarter(): void;
}

const draftKey = (exerciseId: string) => `lab:draft:${exerciseId}`;

async function saveOnServer(exerciseId: string, files: DraftFile[]): Promise<Response> {
  await learnerReady();
  return fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
}

/** `starter` with the files of `draft` in place of theirs. */
const withDraft = (starter: DraftFile[], draft: DraftFile[]) =>
  starter.map((file) => draft.find((d) => d.name === file.name) ?? file);

/**
 * The drafts of `exerciseId`. `savedDraft` is the server's copy when the page already read it (null: none);
 * when undefined, it is read here and `starter` is shown until then.
 */
export function useDrafts(exerciseId: string, starter: DraftFile[], savedDraft?: DraftFile[] | null): Drafts {
  const [files, setFiles] = useState<DraftFile[]>(() => (savedDraft ? withDraft(starter, savedDraft) : starter));
  const [loaded, setLoaded] = useState(savedDraft !== undefined);
  const [revision, setRevision] = useState(0);
  // What the learner typed is never replaced by a copy that arrives after it (a late read, this browser's).
  const edited = useRef(false);

  useEffect(() => {
    if (savedDraft) return;
    let cancelled = false;
    const fromBrowser = (): DraftFile[] | null => {
      try {
        return JSON.parse(window.localStorage.getItem(draftKey(exerciseId)) ?? 'null') as DraftFile[] | null;
      } catch {
        return null; // a broken draft is ignored; the starter is shown
      }
    };
    const fromServer: Promise<DraftFile[] | null> =
      savedDraft === null
        ? Promise.resolve(null)
        : fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`)
            .then((response) =>
              response.ok ? (response.json() as Promise<{ files: DraftFile[] | null }>) : { files: null },
            )
            .then((body) => body.files)
            .catch(() => null);
    void fromServer.then((fromServer) => {
      if (cancelled) return;
      const draft = fromServer ?? fromBrowser();
      if (draft && !edited.current) {
        setFiles(withDraft(starter, draft));
        setRevision((count) => count + 1);
      }
      setLoaded(true);
    });
    return () => {
      cancelled = true;
    };
  }, [exerciseId, starter, savedDraft]);

  const saveTimer = useRef<number | undefined>(undefined);
  const [saved, setSaved] = useState<DraftSaveState>(null);
  const edit = (name: string, content: string) => {
    edited.current = true;
    setFiles((current) => {
      const next = current.map((file) => (file.name === name ? { ...file, content } : file));
      window.localStorage.setItem(draftKey(exerciseId), JSON.stringify(next));
      window.clearTimeout(saveTimer.current);
      setSaved('saving');
      saveTimer.current = window.setTimeout(() => {
        saveOnServer(exerciseId, next)
          .then((response) => setSaved(response.ok ? 'saved' : 'offline'))
          .catch(() => setSaved('offline'));
      }, 400);
      return next;
    });
  };

  const resetToStarter = () => {
    edited.current = true;
    window.localStorage.removeItem(draftKey(exerciseId));
    setFiles(starter);
    setRevision((count) => count + 1);
    void saveOnServer(exerciseId, starter).catch(() => undefined);
  };

  return { files, loaded, saved, revision, edit, resetToStarter };
}
