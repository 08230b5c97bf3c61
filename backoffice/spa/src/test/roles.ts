/** The backoffice API's role table (ROLE_PERMISSIONS in backoffice/roles.py), for tests. */
const READS = ["catalog:read", "inventory:read", "orders:read", "customers:read",
  "campaigns:read", "jobs:read", "audit:read", "reports:read"];

export const ROLE_PERMISSIONS = {
  admin: [...READS, "catalog:write", "inventory:write", "orders:write", "campaigns:write",
    "jobs:write", "mailbox:read", "staff:read", "staff:manage"],
  manager: [...READS, "catalog:write", "inventory:write", "orders:write", "campaigns:write",
    "jobs:write", "mailbox:read"],
  support: ["orders:read", "orders:write", "customers:read", "catalog:read", "inventory:read",
    "mailbox:read", "reports:read"],
  viewer: READS,
} as const;
