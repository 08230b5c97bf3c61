import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { messageOf } from "../api/errors";
import { useAuth } from "../auth/AuthProvider";
import { applyApiError } from "../lib/formErrors";

export function LoginPage() {
  const { signIn, error } = useAuth();
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v) ? null : "Enter your e-mail address"),
      password: (v) => (v ? null : "Enter your password"),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setBanner(null);
    try {
      await signIn(values);
    } catch (error) {
      setBanner(applyApiError(form, error, ["email", "password"]));
    }
  });
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} data-testid="sign-in-form" noValidate>
          <Stack>
            <Title order={3}>Tienda backoffice</Title>
            {error != null && !banner && (
              <Alert color="orange" role="alert" data-testid="api-unreachable">
                The backoffice API did not answer ({messageOf(error)}).
              </Alert>
            )}
            {banner && <Alert color="red" role="alert" data-testid="sign-in-error">{banner}</Alert>}
            <TextInput label="E-mail" type="email" autoComplete="username" required
              data-testid="sign-in-email" {...form.getInputProps("email")} />
            <PasswordInput label="Password" autoComplete="current-password" required
              data-testid="sign-in-password" {...form.getInputProps("password")} />
            <Button type="submit" loading={form.submitting} data-testid="sign-in-submit">
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
