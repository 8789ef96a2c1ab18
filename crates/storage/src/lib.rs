//! File storage behind `object_store`: a local directory by default, any S3-compatible service by
//! configuration. Kept in its own crate because object_store with the AWS client is heavy to build.
//! Files are stored under random keys; the original name and type live in the database.

use bytes::Bytes;
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, aws::AmazonS3Builder, local::LocalFileSystem,
    path::Path,
};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum StorageSettings {
    Local {
        dir: std::path::PathBuf,
    },
    S3 {
        bucket: String,
        region: String,
        endpoint: String,
        access_key_id: String,
        secret_access_key: String,
        allow_http: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("storage path: {0}")]
    Path(#[from] object_store::path::Error),
    #[error("storage directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("not found")]
    NotFound,
}

#[derive(Clone)]
pub struct Storage {
    inner: Arc<dyn ObjectStore>,
    kind: &'static str,
}

impl Storage {
    pub fn open(settings: &StorageSettings) -> Result<Self, StorageError> {
        match settings {
            StorageSettings::Local { dir } => {
                std::fs::create_dir_all(dir)?;
                let fs = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
                Ok(Storage {
                    inner: Arc::new(fs),
                    kind: "local",
                })
            }
            StorageSettings::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                allow_http,
            } => {
                let mut b = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key)
                    .with_allow_http(*allow_http);
                if !endpoint.is_empty() {
                    b = b
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                Ok(Storage {
                    inner: Arc::new(b.build()?),
                    kind: "s3",
                })
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Stores bytes under a new random key such as `2026/11/5f0c…-plakat.png` and returns the key.
    pub async fn put_new(
        &self,
        prefix: &str,
        extension: &str,
        data: Bytes,
    ) -> Result<String, StorageError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let ext: String = extension
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(8)
            .collect();
        let key = if ext.is_empty() {
            format!("{prefix}/{id}")
        } else {
            format!("{prefix}/{id}.{ext}")
        };
        self.put(&key, data).await?;
        Ok(key)
    }

    pub async fn put(&self, key: &str, data: Bytes) -> Result<(), StorageError> {
        self.inner
            .put(&Path::parse(key)?, PutPayload::from_bytes(data))
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match self.inner.get(&Path::parse(key)?).await {
            Ok(r) => Ok(r.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.inner.delete(&Path::parse(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
