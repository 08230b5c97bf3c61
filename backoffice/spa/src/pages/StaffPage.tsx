import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap } from "../api/client";
import type { StaffInput, StaffMember } from "../api/models";
import { useAuth } from "../auth/AuthProvider";
import { DateTime } from "../components/DateTime";
import { notifyError, notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { applyApiError } from "../lib/formErrors";

const ROLES: StaffInput["role"][] = ["admin", "manager", "support", "viewer"];

export function StaffPage() {
  const { me } = useAuth();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const staff = useQuery({ queryKey: ["staff"], queryFn: () => unwrap(api.GET("/api/staff")) });
  const update = useMutation({
    mutationFn: (m: Pick<StaffMember, "id" | "role" | "is_active">) => unwrap(api.PUT("/api/staff/{staff_id}",
      { params: { path: { staff_id: m.id } }, body: { role: m.role, is_active: m.is_active } })),
    onSuccess: (m) => { notifySuccess(`${m.email} updated`); client.invalidateQueries({ queryKey: ["staff"] }); },
    onError: (e) => notifyError(e),
  });
  return (
    <>
      <PageHeader title="Staff">
        <Button onClick={() => setAdding(true)} data-testid="staff-new">Add staff member</Button>
      </PageHeader>
      {staff.error && <QueryError error={staff.error} onRetry={staff.refetch} />}
      {!staff.data && !staff.error && <Text c="dimmed" role="status">Loading…</Text>}
      {staff.data && (
        <Card withBorder p={0}>
          <Table aria-label="Staff">
            <Table.Thead><Table.Tr><Table.Th>E-mail</Table.Th><Table.Th>Name</Table.Th><Table.Th>Role</Table.Th>
              <Table.Th>Active</Table.Th><Table.Th>Locked until</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {staff.data.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.email}{m.email === me?.email && <Badge ml="xs" size="xs">you</Badge>}</Table.Td>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>
                    <Select size="xs" w={120} data={ROLES} value={m.role} allowDeselect={false}
                      aria-label={`Role of ${m.email}`}
                      onChange={(role) => role && update.mutate({ ...m, role: role as StaffInput["role"] })} />
                  </Table.Td>
                  <Table.Td>
                    <Switch checked={m.is_active} aria-label={`${m.email} active`}
                      onChange={(e) => update.mutate({ ...m, is_active: e.currentTarget.checked })} />
                  </Table.Td>
                  <Table.Td>{m.locked_until ? <DateTime value={m.locked_until} /> : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {adding && <NewStaff onClose={() => setAdding(false)} />}
    </>
  );
}

function NewStaff({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<StaffInput>({
    initialValues: { email: "", name: "", role: "viewer", password: "" },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v) ? null : "An e-mail address"),
      password: (v) => (v.length >= 8 ? null : "At least 8 characters"),
    },
  });
  const submit = form.onSubmit(async (v) => {
    try {
      await unwrap(api.POST("/api/staff", { body: v }));
      notifySuccess(`${v.email} can now sign in`);
      await client.invalidateQueries({ queryKey: ["staff"] });
      onClose();
    } catch (error) {
      setBanner(applyApiError(form, error, ["email", "name", "role", "password"]));
    }
  });
  return (
    <Modal opened onClose={onClose} title="Add staff member">
      <form onSubmit={submit} noValidate data-testid="staff-form">
        <Stack>
          {banner && <Alert color="red" role="alert">{banner}</Alert>}
          <TextInput label="E-mail" required {...form.getInputProps("email")} />
          <TextInput label="Name" {...form.getInputProps("name")} />
          <Select label="Role" data={ROLES} allowDeselect={false} {...form.getInputProps("role")} />
          <PasswordInput label="Initial password" required {...form.getInputProps("password")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Add</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
