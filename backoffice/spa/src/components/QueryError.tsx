import { Alert, Button, Group, Text } from "@mantine/core";

import { messageOf } from "../api/errors";

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" title="Could not load this" role="alert">
      <Group justify="space-between">
        <Text size="sm">{messageOf(error)}</Text>
        {onRetry && <Button size="xs" variant="light" color="red" onClick={onRetry}>Try again</Button>}
      </Group>
    </Alert>
  );
}
