//! File storage behind `object_store`: a local directory by default, any S3-compatible service by
//! configuration. Kept in its own crate because object_store with the AWS client is heavy to build.
//! Files are stored under random keys; the original name and type live in the database.

use bytes::Bytes;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig, aws::AmazonS3Builder,
    local::LocalFileSystem, path::Path,
};
use std::sync::Arc;
use std::time::Duration;

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
    #[error("storage settings: {0}")]
    Settings(&'static str),
    #[error("not found")]
    NotFound,
    /// The S3 service answered that the configured bucket does not exist (every instance would
    /// fail the same way: a configuration or provisioning error, not a missing file).
    #[error("storage: the bucket {0:?} does not exist on the S3 service")]
    NoSuchBucket(String),
}

impl StorageError {
    /// The object store's 404 covers both a missing object and a missing bucket; only the body
    /// of the answer (S3's error code) tells them apart.
    fn classify(e: object_store::Error, bucket: Option<&str>) -> StorageError {
        match bucket {
            Some(b) if e.to_string().contains("NoSuchBucket") => {
                StorageError::NoSuchBucket(b.to_owned())
            }
            _ => match e {
                object_store::Error::NotFound { .. } => StorageError::NotFound,
                e => StorageError::Store(e),
            },
        }
    }
}

/// Attempts on a failing S3 request (server errors, lost connections) before the error reaches the
/// caller, and the time they may take together: an upload waits seconds, not object_store's
/// default of minutes, before the user is told that storage is unavailable.
const S3_MAX_RETRIES: usize = 3;
const S3_RETRY_TIMEOUT: Duration = Duration::from_secs(15);
const S3_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const S3_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Storage {
    inner: Arc<dyn ObjectStore>,
    kind: &'static str,
    /// The S3 bucket's name (None for the local directory), for error messages.
    bucket: Option<Arc<str>>,
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
                    bucket: None,
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
                // The builder would accept an empty name and fail on every request.
                if bucket.trim().is_empty() {
                    return Err(StorageError::Settings("the S3 bucket name is empty"));
                }
                let mut b = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key)
                    // Client options first: they replace all earlier ones, allow_http included.
                    .with_client_options(
                        ClientOptions::new()
                            .with_connect_timeout(S3_CONNECT_TIMEOUT)
                            .with_timeout(S3_REQUEST_TIMEOUT),
                    )
                    .with_allow_http(*allow_http)
                    .with_retry(RetryConfig {
                        max_retries: S3_MAX_RETRIES,
                        retry_timeout: S3_RETRY_TIMEOUT,
                        ..RetryConfig::default()
                    });
                if !endpoint.is_empty() {
                    b = b
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                Ok(Storage {
                    inner: Arc::new(b.build()?),
                    kind: "s3",
                    bucket: Some(bucket.as_str().into()),
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

    fn err(&self, e: object_store::Error) -> StorageError {
        StorageError::classify(e, self.bucket.as_deref())
    }

    pub async fn put(&self, key: &str, data: Bytes) -> Result<(), StorageError> {
        self.inner
            .put(&Path::parse(key)?, PutPayload::from_bytes(data))
            .await
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The object's bytes; [`StorageError::NotFound`] only when the object is missing (a missing
    /// bucket is [`StorageError::NoSuchBucket`]).
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        match self.inner.get(&Path::parse(key)?).await {
            Ok(r) => r.bytes().await.map_err(|e| self.err(e)),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Removes an object; removing a missing object is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.inner.delete(&Path::parse(key)?).await {
            Ok(()) => Ok(()),
            Err(e) => match self.err(e) {
                StorageError::NotFound => Ok(()),
                e => Err(e),
            },
        }
    }

    /// Asks the store whether it can be used, by listing a prefix that holds nothing: for S3 this
    /// shows that the server answers, the credentials are accepted and the bucket exists.
    pub async fn check(&self) -> Result<(), StorageError> {
        let probe = Path::parse("wspolnie-readiness-probe")?;
        self.inner
            .list_with_delimiter(Some(&probe))
            .await
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}
