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
  /** False until the saved draft (or none) has been read: the editor waits for it. */
  loaded: boolean;
  saved: DraftSaveState;
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

/** The drafts of `exerciseId`, starting from `starter` until a saved draft has been read. */
export function useDrafts(exerciseId: string, starter: DraftFile[]): Drafts {
  const [files, setFiles] = useState<DraftFile[]>(starter);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const fromBrowser = (): DraftFile[] | null => {
      try {
        return JSON.parse(window.localStorage.getItem(draftKey(exerciseId)) ?? 'null') as DraftFile[] | null;
      } catch {
        return null; // a broken draft is ignored; the starter is shown
      }
    };
    fetch(`/api/drafts?exerciseId=${encodeURIComponent(exerciseId)}`)
      .then((response) => (response.ok ? (response.json() as Promise<{ files: DraftFile[] | null }>) : { files: null }))
      .catch(() => ({ files: null }))
      .then(({ files: fromServer }) => {
        if (cancelled) return;
        const draft = fromServer ?? fromBrowser();
        if (draft) setFiles(starter.map((file) => draft.find((d) => d.name === file.name) ?? file));
        setLoaded(true);
      });
    return () => {
      cancelled = true;
    };
  }, [exerciseId, starter]);

  const saveTimer = useRef<number | undefined>(undefined);
  const [saved, setSaved] = useState<DraftSaveState>(null);
  const edit = (name: string, content: string) => {
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
    window.localStorage.removeItem(draftKey(exerciseId));
    setFiles(starter);
    void saveOnServer(exerciseId, starter).catch(() => undefined);
  };

  return { files, loaded, saved, edit, resetToStarter };
}
