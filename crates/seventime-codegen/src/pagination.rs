//! Generated pagination: for every operation the spec marks `x-paginated`, an implementation of
//! the client's `PagedRequest` for its request builder and an `into_paginator()` method on it.
//! The streams themselves are hand-written, once, in the client (`pagination.rs`); what differs
//! per operation — the builder, the record type, the largest page size — comes from the spec.

use heck::ToUpperCamelCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::Spec;

/// The pagination code for every paginated operation of `spec`.
pub(crate) fn tokens(spec: &Spec) -> TokenStream {
    let impls = spec.paginated().iter().map(|paginated| {
        let operation = &paginated.operation;
        let builder = format_ident!("{}", operation.builder());
        let item = format_ident!("{}", paginated.item.to_upper_camel_case());
        let id = &operation.id;
        let max = Literal::u64_unsuffixed(operation.max_page_size.unwrap_or(1));
        let doc = format!(
            " Pages through `{id}` with the filters set on this request: \
             `.items()` streams every record, `.pages()` every page, lazily. \
             See [`Paginator`](crate::Paginator)."
        );
        quote! {
            impl crate::pagination::sealed::Sealed for builder::#builder<'_> {}

            impl<'a> crate::PagedRequest for builder::#builder<'a> {
                type Item = types::#item;
                const OPERATION: &'static str = #id;
                const MAX_PAGE_SIZE: u64 = #max;

                fn fetch_page(
                    self,
                    page: u64,
                    limit: u64,
                ) -> impl ::std::future::Future<
                    Output = Result<crate::RawPage<types::#item>, crate::ApiError>,
                > + Send {
                    let request = self.page(page).limit(limit);
                    async move {
                        let body = request.send().await?.into_inner();
                        Ok(crate::RawPage { meta: body.meta, data: body.data })
                    }
                }

                fn item_id(item: &types::#item) -> &str {
                    &item.id
                }
            }

            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub fn into_paginator(self) -> crate::Paginator<Self> {
                    crate::Paginator::new(self)
                }
            }
        }
    });
    quote! { #(#impls)* }
}
