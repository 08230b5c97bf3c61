/** What each screen needs: nav items a role cannot read are hidden, and edit controls need
 * the context's `:write` permission (a viewer sees none). */

export type Permission =
  | "catalog:read" | "catalog:write" | "orders:read" | "orders:write"
  | "inventory:read" | "inventory:write" | "customers:read" | "jobs:read" | "jobs:write"
  | "campaigns:read" | "campaigns:write"
  | "audit:read" | "reports:read" | "mailbox:read" | "staff:read" | "staff:manage";

export interface NavItem {
  key: string;
  label: string;
  path: string;
  permission: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: "dashboard", label: "Dashboard", path: "/dashboard", permission: "reports:read" },
  { key: "orders", label: "Orders", path: "/orders", permission: "orders:read" },
  { key: "products", label: "Products", path: "/products", permission: "catalog:read" },
  { key: "categories", label: "Categories", path: "/categories", permission: "catalog:read" },
  { key: "inventory", label: "Inventory", path: "/inventory", permission: "inventory:read" },
  { key: "customers", label: "Customers", path: "/customers", permission: "customers:read" },
  { key: "campaigns", label: "Campaigns", path: "/campaigns", permission: "campaigns:read" },
  { key: "jobs", label: "Jobs", path: "/jobs", permission: "jobs:read" },
  { key: "mailbox", label: "Mailbox", path: "/mailbox", permission: "mailbox:read" },
  { key: "audit", label: "Audit log", path: "/audit", permission: "audit:read" },
  { key: "staff", label: "Staff", path: "/staff", permission: "staff:manage" },
];

export interface NavContext {
  /** False once the API said the mailbox does not exist here (404: not a local setup). */
  mailboxAvailable: boolean;
}

export function visibleNav(permissions: readonly string[], context: NavContext): NavItem[] {
  const granted = new Set(permissions);
  return NAV_ITEMS.filter((item) => granted.has(item.permission)
    && (item.key !== "mailbox" || context.mailboxAvailable));
}

/** Where to land after sign-in: the first screen the role may read. */
export function homePath(permissions: readonly string[]): string {
  return visibleNav(permissions, { mailboxAvailable: true })[0]?.path ?? "/no-access";
}
