//! The generated half of the client's `catalog` module: the table of resources and, per
//! resource, the functions that list and get its records with parameters given as text. The
//! types they fill in and the runtime they call are hand-written in the client (`catalog.rs`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::resources::{Field, FieldKind, Operation, ParameterKind, Requirement};
use crate::{CLIENT_CRATE, Spec};

/// The `catalog` module of the generated client.
pub(crate) fn tokens(spec: &Spec) -> TokenStream {
    let client_crate = format_ident!("{CLIENT_CRATE}");
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    let mut custom_fields = Vec::new();
    for (index, resource) in spec.resources().iter().enumerate() {
        let Some(list) = &resource.list else { continue };
        let item = format_ident!("{}", resource.schema.to_upper_camel_case());
        let list_fn = format_ident!("{}_records", list.id);
        let list_literal = operation_literal(list);
        functions.push(list_function(list, &list_fn, index));

        let (get_literal, get_fn) = match &resource.get {
            Some(get) => {
                let name = format_ident!("{}_record", get.id);
                functions.push(get_function(get, &name));
                let literal = operation_literal(get);
                (quote!(Some(#literal)), quote!(Some(#name)))
            }
            None => (quote!(None), quote!(None)),
        };
        let entity_type = match &resource.entity_type {
            Some(variant) => {
                let variant = format_ident!("{variant}");
                if let Some(requirement) = resource.custom_fields {
                    let values = match requirement {
                        Requirement::Required => quote!(self.custom_fields.as_slice()),
                        Requirement::Optional => {
                            quote!(
                                self.custom_fields
                                    .as_deref()
                                    .map_or(&[], |values| values.as_slice())
                            )
                        }
                    };
                    custom_fields.push(quote! {
                        impl crate::custom_fields::HasCustomFields for types::#item {
                            const ENTITY_TYPE: #client_crate::EntityType =
                                #client_crate::EntityType::#variant;

                            fn custom_field_values(&self) -> &[types::CustomFieldValue] {
                                #values
                            }
                        }
                    });
                }
                quote!(Some(#client_crate::EntityType::#variant))
            }
            None => quote!(None),
        };
        let (name, tag, schema) = (&resource.name, &resource.tag, &resource.schema);
        let columns = &resource.columns;
        let fields = fields_literal(&resource.fields);
        let key = &resource.key;
        entries.push(quote! {
            crate::catalog::Resource {
                name: #name,
                tag: #tag,
                schema: #schema,
                list: #list_literal,
                get: #get_literal,
                columns: &[#(#columns),*],
                fields: #fields,
                key: #key,
                entity_type: #entity_type,
                list_fn: #list_fn,
                get_fn: #get_fn,
                decode_fn: crate::catalog::reencode::<super::types::#item>,
            }
        });
    }
    quote! {
        /// The resources of the spec and their by-name dispatch (see `seventime::catalog`).
        pub(crate) mod catalog {
            use super::types;

            pub(crate) static RESOURCES: &[crate::catalog::Resource] = &[#(#entries),*];

            #(#functions)*

            #(#custom_fields)*
        }
    }
}

fn fields_literal(fields: &[Field]) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let kind = match &field.kind {
            FieldKind::Text => quote!(Text),
            FieldKind::Timestamp => quote!(Timestamp),
            FieldKind::Integer => quote!(Integer),
            FieldKind::Number => quote!(Number),
            FieldKind::Boolean => quote!(Boolean),
            FieldKind::Json => quote!(Json),
            FieldKind::CustomFields => quote!(CustomFields),
            FieldKind::Records(rows) => {
                let rows = fields_literal(rows);
                quote!(Records(#rows))
            }
        };
        let (name, required) = (&field.name, field.required);
        quote! {
            crate::catalog::Field {
                name: #name,
                kind: crate::catalog::FieldKind::#kind,
                required: #required,
            }
        }
    });
    quote!(&[#(#fields),*])
}

fn operation_literal(operation: &Operation) -> TokenStream {
    let (id, path, summary) = (&operation.id, &operation.path, &operation.summary);
    let paginated = operation.paginated;
    let max = match operation.max_page_size {
        Some(max) => {
            let max = Literal::u64_unsuffixed(max);
            quote!(Some(#max))
        }
        None => quote!(None),
    };
    let parameters = operation.query.iter().map(|parameter| {
        let kind = match &parameter.kind {
            ParameterKind::Text => quote!(Text),
            ParameterKind::Integer { .. } => quote!(Integer),
            ParameterKind::Number => quote!(Number),
            ParameterKind::Boolean => quote!(Boolean),
            ParameterKind::Choice { values, .. } => quote!(Choice(&[#(#values),*])),
            ParameterKind::NamedEnum(name) if name == "EntityType" => quote!(EntityType),
            ParameterKind::NamedEnum(_) => quote!(Integer),
            ParameterKind::HandWritten(_) => quote!(Timestamp),
        };
        let (name, required, description) =
            (&parameter.name, parameter.required, &parameter.description);
        let parent = match &parameter.parent {
            Some(parent) => quote!(Some(#parent)),
            None => quote!(None),
        };
        quote! {
            crate::catalog::Parameter {
                name: #name,
                kind: crate::catalog::ParameterKind::#kind,
                required: #required,
                description: #description,
                parent: #parent,
            }
        }
    });
    quote! {
        crate::catalog::Operation {
            id: #id,
            path: #path,
            summary: #summary,
            paginated: #paginated,
            max_page_size: #max,
            parameters: &[#(#parameters),*],
        }
    }
}

/// `<list>_records`: builds the typed request from text parameters.
fn list_function(list: &Operation, name: &proc_macro2::Ident, index: usize) -> TokenStream {
    let client_crate = format_ident!("{CLIENT_CRATE}");
    let method = format_ident!("{}", list.id);
    let id = &list.id;
    let index = Literal::usize_unsuffixed(index);
    let arms: Vec<TokenStream> = list
        .query
        .iter()
        .filter(|p| !(list.paginated && (p.name == "limit" || p.name == "page")))
        .map(|parameter| {
            let wire = &parameter.name;
            let setter = format_ident!("{}", parameter.name.to_snake_case());
            let value = match &parameter.kind {
                ParameterKind::Text => quote!(value.clone()),
                ParameterKind::Integer { signed: true } => {
                    quote!(crate::catalog::parse::<i64>(operation, name, value)?)
                }
                ParameterKind::Integer { signed: false } => {
                    quote!(crate::catalog::parse::<u64>(operation, name, value)?)
                }
                ParameterKind::Number => {
                    quote!(crate::catalog::parse::<f64>(operation, name, value)?)
                }
                ParameterKind::Boolean => {
                    quote!(crate::catalog::parse::<bool>(operation, name, value)?)
                }
                ParameterKind::Choice { schema, .. } => {
                    let ty = format_ident!("{}", schema.to_upper_camel_case());
                    quote!(crate::catalog::parse::<types::#ty>(operation, name, value)?)
                }
                ParameterKind::NamedEnum(ty) | ParameterKind::HandWritten(ty) => {
                    let ty = format_ident!("{ty}");
                    quote!(crate::catalog::parse::<#client_crate::#ty>(operation, name, value)?)
                }
            };
            quote!(#wire => request.#setter(#value),)
        })
        .collect();
    let apply = if arms.is_empty() {
        quote! {
            if let Some((name, _)) = parameters.first() {
                return Err(crate::catalog::ParameterError::unknown(operation, name));
            }
            let request = client.#method();
        }
    } else {
        quote! {
            let mut request = client.#method();
            for (name, value) in parameters {
                request = match name.as_str() {
                    #(#arms)*
                    _ => return Err(crate::catalog::ParameterError::unknown(operation, name)),
                };
            }
        }
    };
    let listing = if list.paginated {
        quote!(crate::catalog::Listing::paged(request))
    } else {
        quote! {
            crate::catalog::Listing::single(#id, async move {
                Ok(request.send().await?.into_inner().data)
            })
        }
    };
    quote! {
        fn #name<'a>(
            client: &'a crate::Client,
            parameters: &[(String, String)],
        ) -> Result<crate::catalog::Listing<'a>, crate::catalog::ParameterError> {
            let operation = &RESOURCES[#index].list;
            #apply
            Ok(#listing)
        }
    }
}

/// `<get>_record`: fetches one record and encodes it as text.
fn get_function(get: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let method = format_ident!("{}", get.id);
    let setter = format_ident!(
        "{}",
        get.path_parameter
            .as_deref()
            .unwrap_or("id")
            .to_snake_case()
    );
    let id = &get.id;
    quote! {
        fn #name<'a>(client: &'a crate::Client, id: String) -> crate::catalog::RecordFuture<'a> {
            Box::pin(async move {
                let body = client.#method().#setter(id).send().await?.into_inner();
                crate::catalog::to_text(#id, body.data)
            })
        }
    }
}
