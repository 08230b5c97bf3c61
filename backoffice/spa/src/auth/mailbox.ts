import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";

/** The mailbox exists only where mail is captured locally: the API answers 404 elsewhere. */
export async function mailboxAvailable(): Promise<boolean> {
  try {
    await unwrap(api.GET("/api/mailbox", { params: { query: { page: 1, per_page: 1 } } }));
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

export function useMailboxAvailable(enabled: boolean): boolean {
  const probe = useQuery({
    queryKey: ["mailbox", "available"], queryFn: mailboxAvailable, enabled,
    staleTime: Infinity, retry: false,
  });
  return enabled && probe.data === true;
}
