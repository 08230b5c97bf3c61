import { NavLink as MantineNavLink, Stack } from "@mantine/core";
import { NavLink, useLocation } from "react-router";

import { visibleNav } from "../auth/permissions";

export function NavBar({ permissions, mailboxAvailable, onNavigate }: {
  permissions: readonly string[]; mailboxAvailable: boolean; onNavigate?: () => void;
}) {
  const { pathname } = useLocation();
  const items = visibleNav(permissions, { mailboxAvailable });
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      {items.map((item) => (
        <MantineNavLink key={item.key} component={NavLink} to={item.path} label={item.label}
          data-testid={`nav-${item.key}`} onClick={onNavigate}
          active={pathname === item.path || pathname.startsWith(`${item.path}/`)} />
      ))}
    </Stack>
  );
}
