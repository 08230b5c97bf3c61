/** The product's own fields. Saves carry the version the editor loaded (If-Match); when
 * someone else saved in between, the API answers 412 and the form says who and offers to
 * load their version, keeping what the user typed until they choose to. */
import {
  Alert, Button, Fieldset, Group, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { createProduct, updateProduct } from "../api/catalog";
import { ApiError } from "../api/errors";
import type { Category, ProductDetail, ProductInput } from "../api/models";
import { applyApiError } from "../lib/formErrors";
import { notifySuccess } from "./notify";

export interface ProductValues {
  name_es: string;
  name_en: string;
  slug: string;
  category_id: string;
  description_es: string;
  description_en: string;
  is_published: boolean;
  is_featured: boolean;
}

const FIELDS = ["name_es", "name_en", "slug", "category_id", "description_es",
  "description_en", "is_published", "is_featured"];

export function valuesOf(product: ProductDetail | undefined): ProductValues {
  return {
    name_es: product?.name_es ?? "", name_en: product?.name_en ?? "", slug: product?.slug ?? "",
    category_id: product ? String(product.category_id) : "",
    description_es: product?.description_es ?? "", description_en: product?.description_en ?? "",
    is_published: product?.is_published ?? false, is_featured: product?.is_featured ?? false,
  };
}

export function inputOf(values: ProductValues): ProductInput {
  return {
    name_es: values.name_es.trim(), name_en: values.name_en.trim(),
    slug: values.slug.trim() || null, category_id: Number(values.category_id),
    description_es: values.description_es, description_en: values.description_en,
    is_published: values.is_published, is_featured: values.is_featured,
  };
}

interface Props {
  product?: ProductDetail;
  categories: Category[];
  canEdit: boolean;
  onSaved: (product: ProductDetail) => void;
  /** Fetch the newest version (after a 412). */
  onReload: () => Promise<ProductDetail | undefined>;
}

export function ProductForm({ product, categories, canEdit, onSaved, onReload }: Props) {
  const [version, setVersion] = useState(product?.version);
  const [banner, setBanner] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);
  const form = useForm<ProductValues>({
    initialValues: valuesOf(product),
    validate: {
      name_es: (v) => (v.trim() ? null : "A Spanish name is required"),
      name_en: (v) => (v.trim() ? null : "An English name is required"),
      category_id: (v) => (v ? null : "Choose a category"),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBanner(null);
    setConflict(null);
    try {
      const saved = product && version !== undefined
        ? await updateProduct(product.id, version, inputOf(values))
        : await createProduct(inputOf(values));
      setVersion(saved.version);
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifySuccess(product ? "Product saved" : "Product created");
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setConflict(error.detail);
      else setBanner(applyApiError(form, error, FIELDS));
    }
  });

  const reload = async () => {
    setReloading(true);
    try {
      const latest = await onReload();
      if (latest) {
        setVersion(latest.version);
        form.setValues(valuesOf(latest));
        form.resetDirty(valuesOf(latest));
        form.clearErrors();
        setConflict(null);
      }
    } catch (error) {
      setBanner(applyApiError(form, error, []));
    } finally {
      setReloading(false);
    }
  };

  return (
    <form onSubmit={submit} data-testid="product-form" noValidate>
      <Stack>
        {conflict && (
          <Alert color="orange" title="Someone else changed this product" role="alert"
            data-testid="product-conflict">
            <Text size="sm" mb="sm">{conflict}</Text>
            <Button size="xs" color="orange" onClick={reload} loading={reloading}
              data-testid="product-conflict-reload">
              Load their version (discards your edits)
            </Button>
          </Alert>
        )}
        {banner && <Alert color="red" role="alert" data-testid="product-form-error">{banner}</Alert>}
        <Fieldset legend="Product" disabled={!canEdit} variant="unstyled">
          <Stack>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TextInput label="Name (es)" required data-testid="product-name-es"
                {...form.getInputProps("name_es")} />
              <TextInput label="Name (en)" required data-testid="product-name-en"
                {...form.getInputProps("name_en")} />
              <TextInput label="Slug" description="Leave empty to derive it from the name"
                data-testid="product-slug" {...form.getInputProps("slug")} />
              <Select label="Category" required data-testid="product-category"
                data={categories.map((c) => ({ value: String(c.id), label: c.name_es }))}
                {...form.getInputProps("category_id")} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Textarea label="Description (es)" autosize minRows={3}
                data-testid="product-description-es" {...form.getInputProps("description_es")} />
              <Textarea label="Description (en)" autosize minRows={3}
                data-testid="product-description-en" {...form.getInputProps("description_en")} />
            </SimpleGrid>
            <Group>
              <Switch label="Published" data-testid="product-published"
                {...form.getInputProps("is_published", { type: "checkbox" })} />
              <Switch label="Featured" data-testid="product-featured"
                {...form.getInputProps("is_featured", { type: "checkbox" })} />
            </Group>
          </Stack>
        </Fieldset>
        {canEdit && (
          <Group>
            <Button type="submit" loading={form.submitting} data-testid="product-save">
              {product ? "Save product" : "Create product"}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
