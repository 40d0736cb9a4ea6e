import { IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";
import type { PurchaseOrderStatus } from "@prisma/client";
import { formatCents } from "../domain/shared/money.ts";
import { formatDay } from "./format.ts";
import { PoStatusBadge } from "./status-badges.tsx";

export type PurchaseOrderRow = {
  id: string;
  number: string;
  supplierName: string;
  locationName: string;
  status: PurchaseOrderStatus;
  currency: string;
  total: number;
  expectedArrivalDate: Date | string | null;
};

/** The PO list as both Purchase orders and Receiving show it. */
export function PurchaseOrderTable({
  orders,
  pagination,
  numberUrl,
}: {
  orders: PurchaseOrderRow[];
  pagination?: IndexTableProps["pagination"];
  /** Where the PO number links to, when the page has somewhere to show one PO. */
  numberUrl?: (po: PurchaseOrderRow) => string;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "purchase order", plural: "purchase orders" }}
      itemCount={orders.length}
      selectable={false}
      headings={[
        { title: "Number" },
        { title: "Supplier" },
        { title: "Ship to" },
        { title: "Status" },
        { title: "Total", alignment: "end" },
        { title: "Expected" },
      ]}
      pagination={pagination}
    >
      {orders.map((po, index) => (
        <IndexTable.Row id={po.id} key={po.id} position={index}>
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold">
              {numberUrl ? (
                <Link url={numberUrl(po)} removeUnderline>
                  {po.number}
                </Link>
              ) : (
                po.number
              )}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{po.supplierName}</IndexTable.Cell>
          <IndexTable.Cell>{po.locationName}</IndexTable.Cell>
          <IndexTable.Cell>
            <PoStatusBadge status={po.status} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCents(po.total, po.currency)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{formatDay(po.expectedArrivalDate)}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
