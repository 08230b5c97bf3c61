import { AppShell, Badge, Burger, Button, Group, SegmentedControl, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Outlet } from "react-router";

import { useAuth } from "../auth/AuthProvider";
import { useMailboxAvailable } from "../auth/mailbox";
import { useLocale } from "../lib/locale";
import type { Locale } from "../lib/money";
import { NavBar } from "./NavBar";
import { notifyError } from "./notify";

export function Layout() {
  const { me, can, signOut } = useAuth();
  const { locale, setLocale } = useLocale();
  const [opened, { toggle, close }] = useDisclosure();
  const mailbox = useMailboxAvailable(can("mailbox:read"));
  if (!me) return null;
  return (
    <AppShell header={{ height: 56 }} padding="md"
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm"
              aria-label="Toggle navigation" />
            <Title order={4}>Tienda backoffice</Title>
          </Group>
          <Group gap="sm">
            <SegmentedControl size="xs" value={locale} aria-label="Number format"
              onChange={(v) => setLocale(v as Locale)}
              data={[{ value: "es-ES", label: "ES" }, { value: "en", label: "EN" }]} />
            <Text size="sm" data-testid="signed-in-as">{me.name || me.email}</Text>
            <Badge variant="outline" data-testid="signed-in-role">{me.role}</Badge>
            <Button size="xs" variant="default" data-testid="sign-out"
              onClick={() => signOut().catch((e) => notifyError(e))}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavBar permissions={me.permissions} mailboxAvailable={mailbox} onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
