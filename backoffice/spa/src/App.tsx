import { Center, Loader, Text } from "@mantine/core";
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes } from "react-router";

import { useAuth } from "./auth/AuthProvider";
import { homePath, type Permission } from "./auth/permissions";
import { Layout } from "./components/Layout";
import { QueryError } from "./components/QueryError";
import { AuditPage } from "./pages/AuditPage";
import { CampaignEditPage, NewCampaignPage } from "./pages/CampaignEditPage";
import { CampaignsPage } from "./pages/CampaignsPage";
import { CategoriesPage } from "./pages/CategoriesPage";
import { CustomerDetailPage, CustomersPage } from "./pages/CustomersPage";
import { InventoryJobPage, InventoryJobsPage } from "./pages/InventoryJobsPage";
import { InventoryPage } from "./pages/InventoryPage";
import { JobsPage } from "./pages/JobsPage";
import { LoginPage } from "./pages/LoginPage";
import { MailboxPage } from "./pages/MailboxPage";
import { OrderDetailPage } from "./pages/OrderDetailPage";
import { OrdersPage } from "./pages/OrdersPage";
import { NewProductPage, ProductEditPage } from "./pages/ProductEditPage";
import { ProductsPage } from "./pages/ProductsPage";
import { StaffPage } from "./pages/StaffPage";

// The charts library is the largest dependency: only the dashboard loads it.
const DashboardPage = lazy(() => import("./pages/DashboardPage"));

function Loading() {
  return <Center h={200}><Loader aria-label="Loading" /></Center>;
}

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(permission)) {
    return <Text c="dimmed" data-testid="forbidden">Your role cannot open this page.</Text>;
  }
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export function App() {
  const { me, loading } = useAuth();
  if (loading) return <Center mih="100vh"><Loader aria-label="Loading" /></Center>;
  if (!me) return <LoginPage />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to={homePath(me.permissions)} replace />} />
        <Route path="dashboard" element={<Guard permission="reports:read"><DashboardPage /></Guard>} />
        <Route path="orders" element={<Guard permission="orders:read"><OrdersPage /></Guard>} />
        <Route path="orders/:orderId"
          element={<Guard permission="orders:read"><OrderDetailPage /></Guard>} />
        <Route path="products" element={<Guard permission="catalog:read"><ProductsPage /></Guard>} />
        <Route path="products/new"
          element={<Guard permission="catalog:write"><NewProductPage /></Guard>} />
        <Route path="products/:productId"
          element={<Guard permission="catalog:read"><ProductEditPage /></Guard>} />
        <Route path="categories"
          element={<Guard permission="catalog:read"><CategoriesPage /></Guard>} />
        <Route path="inventory"
          element={<Guard permission="inventory:read"><InventoryPage /></Guard>} />
        <Route path="inventory/jobs"
          element={<Guard permission="inventory:read"><InventoryJobsPage /></Guard>} />
        <Route path="inventory/jobs/:jobId"
          element={<Guard permission="inventory:read"><InventoryJobPage /></Guard>} />
        <Route path="campaigns"
          element={<Guard permission="campaigns:read"><CampaignsPage /></Guard>} />
        <Route path="campaigns/new"
          element={<Guard permission="campaigns:write"><NewCampaignPage /></Guard>} />
        <Route path="campaigns/:campaignId"
          element={<Guard permission="campaigns:read"><CampaignEditPage /></Guard>} />
        <Route path="customers"
          element={<Guard permission="customers:read"><CustomersPage /></Guard>} />
        <Route path="customers/:customerId"
          element={<Guard permission="customers:read"><CustomerDetailPage /></Guard>} />
        <Route path="jobs" element={<Guard permission="jobs:read"><JobsPage /></Guard>} />
        <Route path="mailbox" element={<Guard permission="mailbox:read"><MailboxPage /></Guard>} />
        <Route path="audit" element={<Guard permission="audit:read"><AuditPage /></Guard>} />
        <Route path="staff" element={<Guard permission="staff:manage"><StaffPage /></Guard>} />
        <Route path="no-access"
          element={<Text c="dimmed">Your role has no backoffice screens.</Text>} />
        <Route path="*" element={<QueryError error={new Error("There is no such page.")} />} />
      </Route>
    </Routes>
  );
}
