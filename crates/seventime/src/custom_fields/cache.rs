//! The configurations a client has fetched, and the client methods that fetch and forget them.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use super::FieldConfiguration;
use crate::{ApiError, Client, EntityType};

/// The configurations a client has fetched, shared by its clones.
#[derive(Default)]
pub(crate) struct ConfigurationCache {
    by_entity: Mutex<HashMap<EntityType, Arc<FieldConfiguration>>>,
    /// Held while a configuration is fetched, so that concurrent first uses of one entity type
    /// send one request, not several.
    fetching: tokio::sync::Mutex<()>,
}

impl ConfigurationCache {
    fn cached(&self, entity: EntityType) -> Option<Arc<FieldConfiguration>> {
        self.by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&entity)
            .cloned()
    }

    fn clear(&self) {
        self.by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl fmt::Debug for ConfigurationCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .by_entity
            .lock()
            .map(|by_entity| by_entity.len())
            .unwrap_or_default();
        f.debug_struct("ConfigurationCache")
            .field("cached", &cached)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The field configuration of `entity`: fetched on first use, then kept for the life of
    /// this client and its clones. An entity type without a configuration (`404`) is an empty
    /// configuration, so that its values resolve as unknown fields instead of failing.
    pub async fn field_configuration(
        &self,
        entity: EntityType,
    ) -> Result<Arc<FieldConfiguration>, ApiError> {
        let cache = self.inner.field_configurations();
        if let Some(found) = cache.cached(entity) {
            return Ok(found);
        }
        let _fetching = cache.fetching.lock().await;
        if let Some(found) = cache.cached(entity) {
            return Ok(found);
        }
        let configuration = match self.get_custom_fields().entity_type(entity).send().await {
            Ok(response) => FieldConfiguration::new(entity, response.into_inner()),
            Err(error) => match ApiError::from(error) {
                ApiError::NotFound(_) => FieldConfiguration::empty(entity),
                error => return Err(error),
            },
        };
        let configuration = Arc::new(configuration);
        cache
            .by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(entity, Arc::clone(&configuration));
        Ok(configuration)
    }

    /// Forgets the fetched field configurations: the next use fetches again. For a long-lived
    /// client after fields were added or renamed in Seven Time.
    pub fn forget_field_configurations(&self) {
        self.inner.field_configurations().clear();
    }
}
