import {
  ActionIcon, Anchor, Badge, Button, Card, Group, Image, SimpleGrid, Stack, Table, Text, Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { catalogKeys, fetchCategories, fetchProduct, uploadImage } from "../api/catalog";
import { api, unwrap } from "../api/client";
import type { ProductDetail, Variant } from "../api/models";
import { useCan } from "../auth/AuthProvider";
import { Money } from "../components/Money";
import { SHOP_CURRENCY } from "../config";
import { notifyError, notifySuccess } from "../components/notify";
import { PageHeader } from "../components/PageHeader";
import { ProductForm } from "../components/ProductForm";
import { QueryError } from "../components/QueryError";
import { VariantEditor } from "../components/VariantEditor";


export function NewProductPage() {
  const navigate = useNavigate();
  const categories = useQuery({ queryKey: catalogKeys.categories(), queryFn: fetchCategories });
  if (categories.error) return <QueryError error={categories.error} onRetry={categories.refetch} />;
  if (!categories.data) return <Text c="dimmed">Loading…</Text>;
  return (
    <>
      <PageHeader title="New product" />
      <ProductForm categories={categories.data} canEdit onReload={async () => undefined}
        onSaved={(p) => navigate(`/products/${p.id}`, { replace: true })} />
    </>
  );
}

export function ProductEditPage() {
  const id = Number(useParams().productId);
  const client = useQueryClient();
  const canEdit = useCan("catalog:write");
  const product = useQuery({ queryKey: catalogKeys.product(id), queryFn: () => fetchProduct(id) });
  const categories = useQuery({ queryKey: catalogKeys.categories(), queryFn: fetchCategories });
  if (product.error) return <QueryError error={product.error} onRetry={product.refetch} />;
  if (!product.data || !categories.data) return <Text c="dimmed" role="status">Loading…</Text>;
  const p = product.data;
  const refresh = () => client.invalidateQueries({ queryKey: catalogKeys.product(id) });
  return (
    <Stack>
      <PageHeader title={<>{p.name_es} <Text span c="dimmed" size="sm">#{p.id} · v{p.version}</Text></>}>
        <Anchor component={Link} to="/products">All products</Anchor>
      </PageHeader>
      <Card withBorder>
        <ProductForm key={p.id} product={p} categories={categories.data} canEdit={canEdit}
          onSaved={(saved) => client.setQueryData(catalogKeys.product(id), saved)}
          onReload={async () => (await product.refetch()).data} />
      </Card>
      <Variants product={p} canEdit={canEdit} onChanged={refresh} />
      <Images product={p} canEdit={canEdit} onChanged={refresh} />
    </Stack>
  );
}

function Variants({ product, canEdit, onChanged }: {
  product: ProductDetail; canEdit: boolean; onChanged: () => void;
}) {
  const [editing, setEditing] = useState<Variant | "new" | null>(null);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={4}>Variants</Title>
        {canEdit && <Button size="xs" onClick={() => setEditing("new")} data-testid="variant-add">Add variant</Button>}
      </Group>
      {product.variants.length === 0 ? <Text c="dimmed">No variants yet.</Text> : (
        <Table>
          <Table.Thead>
            <Table.Tr><Table.Th>SKU</Table.Th><Table.Th>Attributes</Table.Th>
              <Table.Th ta="right">Price</Table.Th><Table.Th>Status</Table.Th>{canEdit && <Table.Th />}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {product.variants.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.sku}</Table.Td>
                <Table.Td>{Object.entries(v.attributes ?? {}).map(([k, val]) => `${k}: ${val}`).join(", ")}</Table.Td>
                <Table.Td ta="right"><Money minor={v.price_minor} currency={v.currency} /></Table.Td>
                <Table.Td>{v.is_published ? <Badge color="green" variant="light">published</Badge>
                  : <Badge color="gray" variant="light">hidden</Badge>}</Table.Td>
                {canEdit && <Table.Td><Button size="xs" variant="subtle" onClick={() => setEditing(v)}
                  data-testid={`variant-edit-${v.sku}`}>Edit</Button></Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <VariantEditor productId={product.id} variant={editing === "new" ? null : editing}
          currency={product.variants[0]?.currency ?? SHOP_CURRENCY}
          onClose={() => setEditing(null)} onSaved={onChanged} />
      )}
    </Card>
  );
}

function Images({ product, canEdit, onChanged }: {
  product: ProductDetail; canEdit: boolean; onChanged: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (chosen: File) => uploadImage(product.id, chosen),
    onSuccess: () => { setFile(null); notifySuccess("Picture uploaded"); onChanged(); },
    onError: (e) => notifyError(e, "Upload refused"),
  });
  const remove = useMutation({
    mutationFn: (imageId: number) =>
      unwrap(api.DELETE("/api/images/{image_id}", { params: { path: { image_id: imageId } } })),
    onSuccess: () => { notifySuccess("Picture removed"); onChanged(); },
    onError: (e) => notifyError(e),
  });
  return (
    <Card withBorder>
      <Title order={4} mb="sm">Pictures</Title>
      {canEdit && (
        <Group align="end" mb="md">
          <Stack gap={4}>
            <Text size="sm" fw={500} component="label" htmlFor="image-upload">Add a picture</Text>
            {/* A plain file input, so browser tests can set files on it directly. */}
            <input id="image-upload" type="file" accept="image/jpeg,image/png,image/webp"
              data-testid="image-upload-input" aria-label="Picture file"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </Stack>
          <Button disabled={!file} loading={upload.isPending} data-testid="image-upload-submit"
            onClick={() => file && upload.mutate(file)}>Upload</Button>
        </Group>
      )}
      {product.images.length === 0 ? <Text c="dimmed">No pictures yet.</Text> : (
        <SimpleGrid cols={{ base: 2, sm: 4, md: 6 }}>
          {product.images.map((img) => (
            <Stack key={img.id} gap={4} align="center">
              <Anchor href={img.url} target="_blank" rel="noreferrer">
                <Image src={img.thumbnail_url} alt={`Picture ${img.id}`} h={100} fit="contain" />
              </Anchor>
              {canEdit && (
                <ActionIcon color="red" variant="subtle" aria-label={`Delete picture ${img.id}`}
                  loading={remove.isPending && remove.variables === img.id}
                  onClick={() => remove.mutate(img.id)}>✕</ActionIcon>
              )}
            </Stack>
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
