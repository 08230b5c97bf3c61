import { notifications } from "@mantine/notifications";

import { messageOf } from "../api/errors";

export function notifySuccess(message: string): void {
  notifications.show({ color: "green", title: "Done", message, autoClose: 4000 });
}

export function notifyError(error: unknown, title = "That did not work"): void {
  notifications.show({ color: "red", title, message: messageOf(error), autoClose: 8000 });
}
