import { Alert, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { catalogKeys, fetchCategories } from "../api/catalog";
import { api, unwrap } from "../api/client";
import type { Category, CategoryInput } from "../api/models";
import { useCan } from "../auth/AuthProvider";
import { notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { QueryError } from "../components/QueryError";
import { applyApiError } from "../lib/formErrors";

export function CategoriesPage() {
  const canEdit = useCan("catalog:write");
  const categories = useQuery({ queryKey: catalogKeys.categories(), queryFn: fetchCategories });
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));
  return (
    <>
      <PageHeader title="Categories">
        {canEdit && <Button onClick={() => setEditing("new")} data-testid="category-new">New category</Button>}
      </PageHeader>
      {categories.error && <QueryError error={categories.error} onRetry={categories.refetch} />}
      {!categories.data && !categories.error && <Text c="dimmed" role="status">Loading…</Text>}
      {categories.data?.length === 0 && <Text c="dimmed" data-testid="empty-state">No categories yet.</Text>}
      {!!categories.data?.length && (
        <Card withBorder p={0}>
          <Table striped aria-label="Categories">
            <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Slug</Table.Th>
              <Table.Th>Parent</Table.Th><Table.Th ta="right">Position</Table.Th>
              <Table.Th ta="right">Products</Table.Th>{canEdit && <Table.Th />}</Table.Tr></Table.Thead>
            <Table.Tbody>
              {categories.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.name_es} <Text span c="dimmed" size="xs">/ {c.name_en}</Text></Table.Td>
                  <Table.Td>{c.slug}</Table.Td>
                  <Table.Td>{c.parent_id ? byId.get(c.parent_id)?.name_es ?? c.parent_id : "—"}</Table.Td>
                  <Table.Td ta="right">{c.position}</Table.Td>
                  <Table.Td ta="right">{c.product_count ?? "—"}</Table.Td>
                  {canEdit && <Table.Td><Button size="xs" variant="subtle" onClick={() => setEditing(c)}>Edit</Button></Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {editing && <CategoryEditor category={editing === "new" ? null : editing}
        categories={categories.data ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

function CategoryEditor({ category, categories, onClose }: {
  category: Category | null; categories: Category[]; onClose: () => void;
}) {
  const client = useQueryClient();
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      name_es: category?.name_es ?? "", name_en: category?.name_en ?? "", slug: category?.slug ?? "",
      parent_id: category?.parent_id ? String(category.parent_id) : "", position: category?.position ?? 0,
    },
    validate: {
      name_es: (v) => (v.trim() ? null : "Required"),
      name_en: (v) => (v.trim() ? null : "Required"),
    },
  });
  const submit = form.onSubmit(async (v) => {
    const body: CategoryInput = {
      name_es: v.name_es.trim(), name_en: v.name_en.trim(), slug: v.slug.trim() || null,
      parent_id: v.parent_id ? Number(v.parent_id) : null, position: Number(v.position) || 0,
    };
    try {
      if (category) {
        await unwrap(api.PUT("/api/categories/{category_id}",
          { params: { path: { category_id: category.id } }, body }));
      } else {
        await unwrap(api.POST("/api/categories", { body }));
      }
      notifySuccess(category ? "Category saved" : "Category created");
      await client.invalidateQueries({ queryKey: catalogKeys.categories() });
      onClose();
    } catch (error) {
      setBanner(applyApiError(form, error, ["name_es", "name_en", "slug", "parent_id", "position"]));
    }
  });
  return (
    <Modal opened onClose={onClose} title={category ? `Edit ${category.name_es}` : "New category"}>
      <form onSubmit={submit} noValidate data-testid="category-form">
        <Stack>
          {banner && <Alert color="red" role="alert">{banner}</Alert>}
          <TextInput label="Name (es)" required {...form.getInputProps("name_es")} />
          <TextInput label="Name (en)" required {...form.getInputProps("name_en")} />
          <TextInput label="Slug" description="Leave empty to derive it" {...form.getInputProps("slug")} />
          <Select label="Parent" clearable placeholder="None"
            data={categories.filter((c) => c.id !== category?.id)
              .map((c) => ({ value: String(c.id), label: c.name_es }))}
            {...form.getInputProps("parent_id")} />
          <NumberInput label="Position" allowDecimal={false} {...form.getInputProps("position")} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
