/** Create or edit one variant in a modal; edits carry the variant's version (If-Match). */
import { Alert, Button, Group, Modal, Stack, Switch, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { api, ifMatch, unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { Variant, VariantInput } from "../api/models";
import { applyApiError } from "../lib/formErrors";
import { minorToDecimal, parseMoney } from "../lib/money";
import { notifySuccess } from "./notify";

interface Values {
  sku: string;
  attributes: string;
  price: string;
  cost: string;
  currency: string;
  is_published: boolean;
}

/** `color=red\nsize=M` ⇄ `{color: "red", size: "M"}`. */
export function parseAttributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) result[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return result;
}

function attributesText(attributes: Record<string, unknown> | undefined): string {
  return Object.entries(attributes ?? {}).map(([k, v]) => `${k}=${v}`).join("\n");
}

function initial(variant: Variant | null, currency: string): Values {
  const cur = variant?.currency ?? currency;
  return {
    sku: variant?.sku ?? "", attributes: attributesText(variant?.attributes),
    price: variant ? minorToDecimal(variant.price_minor, cur) : "",
    cost: variant?.cost_minor != null ? minorToDecimal(variant.cost_minor, cur) : "",
    currency: cur, is_published: variant?.is_published ?? true,
  };
}

export function VariantEditor({ productId, variant, currency, onClose, onSaved }: {
  productId: number; variant: Variant | null; currency: string; onClose: () => void;
  onSaved: () => void;
}) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: initial(variant, currency),
    validate: {
      sku: (v) => (v.trim() ? null : "A SKU is required"),
      price: (v, all) => (parseMoney(v, all.currency) === null ? "Enter an amount, e.g. 19,90" : null),
      cost: (v, all) => (v && parseMoney(v, all.currency) === null ? "Enter an amount or leave empty" : null),
      currency: (v) => (/^[A-Za-z]{3}$/.test(v) ? null : "Three letters, e.g. EUR"),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setBanner(null);
    const currencyCode = values.currency.toUpperCase();
    const body: VariantInput = {
      sku: values.sku.trim(), attributes: parseAttributes(values.attributes),
      price_minor: parseMoney(values.price, currencyCode) ?? 0,
      cost_minor: values.cost ? parseMoney(values.cost, currencyCode) ?? 0 : 0,
      currency: currencyCode, is_published: values.is_published,
    };
    try {
      if (variant) {
        await unwrap(api.PUT("/api/variants/{variant_id}", {
          params: { path: { variant_id: variant.id }, header: ifMatch(variant.version) }, body,
        }));
      } else {
        await unwrap(api.POST("/api/products/{product_id}/variants", {
          params: { path: { product_id: productId } }, body,
        }));
      }
      notifySuccess(variant ? `Variant ${body.sku} saved` : `Variant ${body.sku} added`);
      onSaved();
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        setBanner(`${error.detail} Close this dialog to see their version.`);
        onSaved();
        return;
      }
      const mapped = applyApiError(form, error, ["sku", "attributes", "currency", "is_published"]);
      const price = error instanceof ApiError ? error.fieldErrors.price_minor : undefined;
      const cost = error instanceof ApiError ? error.fieldErrors.cost_minor : undefined;
      if (price) form.setFieldError("price", price);
      if (cost) form.setFieldError("cost", cost);
      setBanner(price || cost ? null : mapped);
    }
  });
  return (
    <Modal opened onClose={onClose} title={variant ? `Edit ${variant.sku}` : "New variant"}>
      <form onSubmit={submit} data-testid="variant-form" noValidate>
        <Stack>
          {banner && <Alert color="red" role="alert">{banner}</Alert>}
          <TextInput label="SKU" required data-testid="variant-sku" {...form.getInputProps("sku")} />
          <Textarea label="Attributes" description="One per line: name=value" autosize
            minRows={2} {...form.getInputProps("attributes")} />
          <Group grow>
            <TextInput label="Price" required data-testid="variant-price"
              {...form.getInputProps("price")} />
            <TextInput label="Cost" {...form.getInputProps("cost")} />
            <TextInput label="Currency" maxLength={3} {...form.getInputProps("currency")} />
          </Group>
          <Switch label="Published" {...form.getInputProps("is_published", { type: "checkbox" })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting} data-testid="variant-save">Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

