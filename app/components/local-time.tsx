"use client";

// A moment in the reader's own time zone. The server renders UTC (it cannot know the zone); the
// browser replaces it after hydration.
import { useEffect, useState } from "react";

const utc = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" }) + " UTC";

export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => utc(iso));
  useEffect(() => {
    setText(new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }));
  }, [iso]);
  return <time dateTime={iso}>{text}</time>;
}
