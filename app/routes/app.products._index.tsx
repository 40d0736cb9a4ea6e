import { useEffect, useRef, useState } from "react";
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, ChoiceList, Filters, IndexTable, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { SkuStatusBadge } from "../components/status-badges.tsx";
import { RowLinkCell } from "../components/row-link-cell.tsx";
import { formatPrice } from "../domain/shared/money.ts";
import { pageQuerySchema } from "../models/pagination.server.ts";
import { listSkuPage, SKU_SORTS, type SkuSort } from "../models/sku.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

const searchSchema = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().catch(undefined),
  stock: z.enum(["out", "reorder"]).optional().catch(undefined),
  sort: z.enum(SKU_SORTS).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const search = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const sort = search.sort ?? "code";
  const page = await listSkuPage(shop.id, { query: search.q, outOfStock: search.stock === "out", atReorderPoint: search.stock === "reorder" }, search, undefined, sort);
  return { page, currency: shop.currency, query: search.q ?? "", stock: search.stock ?? null, sort };
}

const STOCK_FILTERS = ["out", "reorder"] as const;
type StockFilter = (typeof STOCK_FILTERS)[number];
const STOCK_FILTER_LABELS: Record<StockFilter, string> = { out: "Out of stock now", reorder: "At or below reorder point" };

/** "—" before the first reorder run; "∞" when planned but nothing is forecast to sell. */
function formatDaysLeft(daysLeft: number | null, planned: boolean): string {
  if (daysLeft === null) return planned ? "∞" : "—";
  return daysLeft >= 10 ? formatCount(Math.floor(daysLeft)) : daysLeft.toFixed(1);
}

// Sortable columns: the SKU code, and days left (ascending = most urgent first).
const SKU_COLUMN = 0;
const DAYS_LEFT_COLUMN = 6;
const sortColumn = (sort: SkuSort) => (sort === "days_left" || sort === "days_left_desc" ? DAYS_LEFT_COLUMN : SKU_COLUMN);
const sortDirection = (sort: SkuSort) => (sort === "code_desc" || sort === "days_left_desc" ? "descending" : "ascending");
function sortFor(column: number, direction: "ascending" | "descending"): SkuSort {
  const base = column === DAYS_LEFT_COLUMN ? "days_left" : "code";
  return direction === "descending" ? `${base}_desc` : base;
}

// Under a week of cover is urgent whatever the lead time; the SKU page explains the rest.
const daysLeftTone = (daysLeft: number | null) => (daysLeft !== null && daysLeft < 7 ? "critical" : undefined);

export default function Products() {
  const { page, currency, query, stock, sort } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [queryValue, setQueryValue] = useState(query);
  const lastSearched = useRef(query);

  // The URL changed under us (back button, "Clear all"): show its search, not what was typed before.
  useEffect(() => {
    if (query === lastSearched.current) return;
    lastSearched.current = query;
    setQueryValue(query);
  }, [query]);

  // Search as the merchant types, once they pause; a new search starts again at the first page.
  useEffect(() => {
    const wanted = queryValue.trim();
    if (wanted === lastSearched.current) return;
    const timer = setTimeout(() => {
      lastSearched.current = wanted;
      const next = new URLSearchParams(searchParams);
      if (wanted) next.set("q", wanted);
      else next.delete("q");
      next.delete("after");
      next.delete("before");
      setSearchParams(next, { replace: true, preventScrollReset: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [queryValue, searchParams, setSearchParams]);

  const setStockFilter = (value: StockFilter | null) => {
    const next = new URLSearchParams(searchParams);
    if (value) next.set("stock", value);
    else next.delete("stock");
    next.delete("after");
    next.delete("before");
    setSearchParams(next, { preventScrollReset: true });
  };

  const setSort = (column: number, direction: "ascending" | "descending") => {
    const next = new URLSearchParams(searchParams);
    const wanted = sortFor(column, direction);
    if (wanted === "code") next.delete("sort");
    else next.set("sort", wanted);
    next.delete("after");
    next.delete("before");
    setSearchParams(next, { preventScrollReset: true });
  };

  const goTo = (cursor: { after?: string; before?: string }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    if (cursor.after) next.set("after", cursor.after);
    if (cursor.before) next.set("before", cursor.before);
    navigate(`?${next.toString()}`);
  };

  const filtering = query !== "" || stock !== null;
  const { items, pageInfo, totalCount } = page;

  return (
    <AdminPage title="Products" subtitle={`${formatCount(totalCount)} ${filtering ? "matching " : ""}SKUs`} fullWidth>
      <Card padding="0">
        <Filters
          queryValue={queryValue}
          queryPlaceholder="Search by SKU, title or barcode"
          onQueryChange={setQueryValue}
          onQueryClear={() => setQueryValue("")}
          onClearAll={() => {
            setQueryValue("");
            // Clears the filters and the search; the order the merchant chose stays.
            setSearchParams(new URLSearchParams(sort === "code" ? {} : { sort }), { preventScrollReset: true });
          }}
          loading={navigation.state === "loading"}
          filters={[
            {
              key: "stock",
              label: "Stock",
              filter: (
                <ChoiceList
                  title="Stock"
                  titleHidden
                  choices={STOCK_FILTERS.map((value) => ({ label: STOCK_FILTER_LABELS[value], value }))}
                  selected={stock ? [stock] : []}
                  onChange={(selected) => setStockFilter((selected[0] as StockFilter | undefined) ?? null)}
                />
              ),
              shortcut: true,
            },
          ]}
          appliedFilters={
            stock ? [{ key: "stock", label: STOCK_FILTER_LABELS[stock], onRemove: () => setStockFilter(null) }] : []
          }
        />
        {items.length === 0 ? (
          filtering ? (
            <ResourceEmptyState heading="No products match">
              <p>Try another SKU, title or barcode, or clear the filters.</p>
            </ResourceEmptyState>
          ) : (
            <ResourceEmptyState heading="No products yet">
              <p>Your catalogue appears here after the first sync with Shopify.</p>
            </ResourceEmptyState>
          )
        ) : (
          <IndexTable
            resourceName={{ singular: "SKU", plural: "SKUs" }}
            itemCount={items.length}
            selectable={false}
            sortable={[true, false, false, false, false, false, true, false, false]}
            sortColumnIndex={sortColumn(sort)}
            sortDirection={sortDirection(sort)}
            defaultSortDirection="ascending"
            sortToggleLabels={{
              [SKU_COLUMN]: { ascending: "Sort by SKU, A to Z", descending: "Sort by SKU, Z to A" },
              [DAYS_LEFT_COLUMN]: { ascending: "Sort by days left, fewest first", descending: "Sort by days left, most first" },
            }}
            onSort={setSort}
            headings={[
              { title: "SKU" },
              { title: "Product" },
              { title: "Status" },
              { title: "On hand", alignment: "end" },
              { title: "Committed", alignment: "end" },
              { title: "Available", alignment: "end" },
              { title: "Days left", alignment: "end" },
              { title: "Reorder point", alignment: "end" },
              { title: "Cost", alignment: "end" },
            ]}
            pagination={{
              hasNext: pageInfo.hasNextPage,
              hasPrevious: pageInfo.hasPreviousPage,
              onNext: () => pageInfo.endCursor && goTo({ after: pageInfo.endCursor }),
              onPrevious: () => pageInfo.startCursor && goTo({ before: pageInfo.startCursor }),
            }}
          >
            {items.map((sku, index) => (
              <IndexTable.Row id={sku.id} key={sku.id} position={index}>
                {/* The whole row opens the SKU's page (its numbers, stock and write-off). */}
                <RowLinkCell url={`/app/products/${encodeURIComponent(sku.id)}`}>{sku.code}</RowLinkCell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span">{sku.title}</Text>
                    {sku.variantTitle ? (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {sku.variantTitle}
                      </Text>
                    ) : null}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <SkuStatusBadge status={sku.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric tone={sku.onHand <= 0 ? "critical" : undefined}>
                    {formatCount(sku.onHand)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(sku.committed)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(sku.available)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric tone={daysLeftTone(sku.daysLeft)}>
                    {formatDaysLeft(sku.daysLeft, sku.reorderPoint !== null)}
                  </Text>
                  {/* On hand is every location's; days left is the most urgent one's, so name it (498 on hand next to 0.0 days left reads as a bug otherwise). */}
                  {sku.daysLeftLocation && sku.daysLeft !== null ? (
                    <Text as="span" alignment="end" variant="bodySm" tone="subdued">
                      {`at ${sku.daysLeftLocation}`}
                    </Text>
                  ) : null}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {sku.reorderPoint === null ? "—" : formatCount(sku.reorderPoint)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {sku.cost === null ? "—" : formatPrice(sku.cost, currency)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
