//! What one request reads of an account once for the several events it announces (the
//! account's webhook endpoints, its automation rules).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use crate::error::ApiResult;

pub struct AccountCache<T>(RefCell<Option<(i64, Rc<T>)>>);

impl<T> Default for AccountCache<T> {
    fn default() -> Self {
        AccountCache(RefCell::new(None))
    }
}

impl<T> AccountCache<T> {
    /// The account's value, loaded by `load` the first time it is asked for.
    pub async fn get<F: Future<Output = ApiResult<T>>>(
        &self,
        account_id: i64,
        load: impl FnOnce() -> F,
    ) -> ApiResult<Rc<T>> {
        let cached = self
            .0
            .borrow()
            .as_ref()
            .filter(|(cached_for, _)| *cached_for == account_id)
            .map(|(_, value)| value.clone());
        if let Some(value) = cached {
            return Ok(value);
        }
        let value = Rc::new(load().await?);
        *self.0.borrow_mut() = Some((account_id, value.clone()));
        Ok(value)
    }
}
