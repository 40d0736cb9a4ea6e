import { IndexTable, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** An index table's first cell: its link is the row's primary link, so clicking anywhere on the row opens `url`. */
export function RowLinkCell({ url, children }: { url: string; children: ReactNode }) {
  return (
    <IndexTable.Cell>
      <Link url={url} dataPrimaryLink removeUnderline monochrome>
        <Text as="span" fontWeight="semibold">
          {children}
        </Text>
      </Link>
    </IndexTable.Cell>
  );
}
