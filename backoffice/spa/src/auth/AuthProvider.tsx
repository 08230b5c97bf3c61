import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";

import { api, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { Me } from "../api/models";
import type { Permission } from "./permissions";

export const ME_KEY = ["auth", "me"] as const;

export interface Credentials {
  email: string;
  password: string;
}

export interface Auth {
  me: Me | null;
  loading: boolean;
  /** Why "who am I" failed other than being signed out (the API is down, say). */
  error: unknown;
  can: (permission: Permission) => boolean;
  signIn: (credentials: Credentials) => Promise<Me>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Who is signed in; a 401 means nobody (the sign-in page), not an error. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await unwrap(api.GET("/api/auth/me"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
  const signIn = useMutation({
    mutationFn: (body: Credentials) => unwrap(api.POST("/api/auth/login", { body })),
    onSuccess: (who) => client.setQueryData(ME_KEY, who),
  });
  const signOut = useCallback(async () => {
    try {
      await unwrap(api.POST("/api/auth/logout"));
    } finally {
      // Nobody first (the sign-in page replaces the screens), then drop everything they read.
      // Not client.clear(): it would also drop the "me" query this provider observes, and the
      // null set afterwards would land in a new query nobody watches (still signed in on screen).
      client.setQueryData(ME_KEY, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
    }
  }, [client]);
  const current = me.data ?? null;
  const can = useCallback((permission: Permission) =>
    current?.permissions.includes(permission) ?? false, [current]);
  const value = useMemo<Auth>(() => ({
    me: current, loading: me.isPending, error: me.error, can, signIn: signIn.mutateAsync, signOut,
  }), [current, me.isPending, me.error, can, signIn.mutateAsync, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside <AuthProvider>");
  return auth;
}

export function useCan(permission: Permission): boolean {
  return useAuth().can(permission);
}

/** Renders its children only for staff holding `permission` (edit controls, mostly). */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}
