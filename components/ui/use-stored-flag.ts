'use client';
// A yes/no preference of the learner kept in this browser (localStorage), such as the workbench's
// "Wide results" or the terminal's screen reader mode.
import { useEffect, useState } from 'react';

/** The flag stored under `key` (false until the page is hydrated) and a function that flips and saves it. */
export function useStoredFlag(key: string): [boolean, () => void] {
  const [on, setOn] = useState(false);
  useEffect(() => {
    // Read once hydrated: the server renders every flag off.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setOn(window.localStorage.getItem(key) === '1');
  }, [key]);
  const toggle = () => {
    const next = !on;
    window.localStorage.setItem(key, next ? '1' : '0');
    setOn(next);
  };
  return [on, toggle];
}
