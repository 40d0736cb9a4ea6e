import { createContext, useContext } from "react";

/**
 * Whether the admin runs inside Shopify (App Bridge draws the title bar and navigation outside our iframe)
 * or as the offline demo (Polaris draws them). Provided once by routes/app.tsx.
 */
export type AdminMode = { embedded: boolean };

const AdminModeContext = createContext<AdminMode>({ embedded: true });

export const AdminModeProvider = AdminModeContext.Provider;

export function useAdminMode(): AdminMode {
  return useContext(AdminModeContext);
}
