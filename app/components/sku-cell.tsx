import { Link } from "@remix-run/react";
import { BlockStack, Text } from "@shopify/polaris";

/** A table's SKU cell: the code, linking to the SKU's page (its numbers and the engine's explanation), over its title. */
export function SkuCell({ skuId, code, title }: { skuId: string; code: string; title: string }) {
  return (
    <BlockStack gap="050">
      <Link to={`/app/products/${encodeURIComponent(skuId)}`}>{code}</Link>
      <Text as="span" tone="subdued" variant="bodySm">
        {title}
      </Text>
    </BlockStack>
  );
}
