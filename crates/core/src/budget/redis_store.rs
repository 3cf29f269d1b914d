//! The Redis / Valkey store: one atomic Lua script per operation, timed by the server's clock
//! (`TIME`), so machines whose clocks disagree still share one correct budget.

use super::{BudgetStore, Claim, Lane, Lease};
use crate::error::{BoxError, Error};
use redis::aio::MultiplexedConnection;
use std::time::Duration;
use tokio::sync::Mutex;

/// How long connecting to, or one answer from, the store may take before the request fails.
const STORE_TIMEOUT: Duration = Duration::from_secs(3);

/// Shared by the scripts: the server's clock in microseconds, and the lane arguments
/// (interval µs, burst, one-in-flight) of lane `i` from `ARGV`, after `offset` fixed arguments.
const PRELUDE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function lane(i, offset)
  local base = offset + (i - 1) * 3
  return tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), ARGV[base + 3] == '1'
end
local function keep(key, tat, extra)
  redis.call('PEXPIRE', key, math.floor(math.max(tat - now, 0) / 1000) + extra + 60000)
end
";

/// ARGV: lease id, lease ttl µs, then three per lane. Returns {1, 0} granted, {0, wait µs}.
const RESERVE: &str = r"
local id, ttl = ARGV[1], tonumber(ARGV[2])
local wait, leased, longest = 0, false, 0
for i, key in ipairs(KEYS) do
  local interval, burst, single = lane(i, 2)
  if interval > longest then longest = interval end
  local s = redis.call('HMGET', key, 'tat', 'lease', 'until')
  local tat, lease, till = tonumber(s[1]) or 0, s[2], tonumber(s[3]) or 0
  if single and lease then
    if till > now then
      leased = true
    else
      tat = math.max(tat, till + interval)
      redis.call('HSET', key, 'tat', tat)
      redis.call('HDEL', key, 'lease', 'until')
    end
  end
  local earliest = tat - (burst - 1) * interval
  if earliest - now > wait then wait = earliest - now end
end
if leased then return {0, math.max(wait, longest)} end
if wait > 0 then return {0, wait} end
for i, key in ipairs(KEYS) do
  local interval, burst, single = lane(i, 2)
  local tat = math.max(tonumber(redis.call('HGET', key, 'tat')) or 0, now) + interval
  redis.call('HSET', key, 'tat', tat)
  if single then redis.call('HSET', key, 'lease', id, 'until', now + ttl) end
  keep(key, tat, math.floor(ttl / 1000))
end
return {1, 0}
";

/// ARGV: lease id, then three per lane.
const SETTLE: &str = r"
local id = ARGV[1]
for i, key in ipairs(KEYS) do
  local interval, burst, single = lane(i, 1)
  if single then
    if redis.call('HGET', key, 'lease') == id then redis.call('HDEL', key, 'lease', 'until') end
    local tat = math.max(tonumber(redis.call('HGET', key, 'tat')) or 0, now + interval)
    redis.call('HSET', key, 'tat', tat)
    keep(key, tat, 0)
  end
end
return 1
";

/// ARGV: wait µs, then three per lane.
const PAUSE: &str = r"
local pause = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local interval, burst, single = lane(i, 1)
  local tat = math.max(tonumber(redis.call('HGET', key, 'tat')) or 0, now + pause + (burst - 1) * interval)
  redis.call('HSET', key, 'tat', tat)
  keep(key, tat, 0)
end
return 1
";

pub(crate) struct RedisStore {
    client: redis::Client,
    shown: String,
    connection: Mutex<Option<MultiplexedConnection>>,
    reserve: redis::Script,
    settle: redis::Script,
    pause: redis::Script,
}

impl RedisStore {
    pub(crate) fn open(url: &str) -> Result<Self, Error> {
        let shown = shown(url);
        let client = redis::Client::open(url).map_err(|e| Error::Config {
            provider: "nodal",
            message: format!("the rate budget store `{shown}` is not a usable Redis URL: {e}"),
        })?;
        let script = |body: &str| redis::Script::new(&format!("{PRELUDE}{body}"));
        Ok(RedisStore {
            client,
            shown,
            connection: Mutex::new(None),
            reserve: script(RESERVE),
            settle: script(SETTLE),
            pause: script(PAUSE),
        })
    }

    async fn connection(&self) -> Result<MultiplexedConnection, BoxError> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let connection = tokio::time::timeout(
            STORE_TIMEOUT,
            self.client.get_multiplexed_async_connection(),
        )
        .await
        .map_err(|_| format!("no connection within {STORE_TIMEOUT:?}"))??;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        lanes: &[Lane],
        fixed: &[String],
    ) -> Result<T, BoxError> {
        let mut invocation = script.prepare_invoke();
        for lane in lanes {
            invocation.key(format!("nodal:budget:{}", lane.key));
        }
        for arg in fixed {
            invocation.arg(arg);
        }
        for lane in lanes {
            invocation
                .arg(micros(lane.interval))
                .arg(lane.burst.max(1))
                .arg(if lane.one_in_flight() { "1" } else { "0" });
        }
        let mut connection = self.connection().await?;
        match tokio::time::timeout(STORE_TIMEOUT, invocation.invoke_async(&mut connection)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => {
                // Reconnect next time: the connection may be the problem.
                *self.connection.lock().await = None;
                Err(e.into())
            }
            Err(_) => {
                *self.connection.lock().await = None;
                Err(format!("no answer within {STORE_TIMEOUT:?}").into())
            }
        }
    }
}

fn micros(duration: Duration) -> u64 {
    super::gcra::nanos(duration) / 1_000
}

/// `host:port/db` without user or password.
fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => format!(
            "redis {}:{}{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port().unwrap_or(6379),
            parsed.path()
        ),
        Err(_) => "redis (unparsable URL)".into(),
    }
}

#[async_trait::async_trait]
impl BudgetStore for RedisStore {
    async fn try_reserve(&self, lanes: &[Lane], lease: Lease) -> Result<Claim, BoxError> {
        let fixed = [lease.id.to_string(), micros(lease.ttl).to_string()];
        let (granted, wait): (i64, i64) = self.run(&self.reserve, lanes, &fixed).await?;
        Ok(if granted == 1 {
            Claim::Granted
        } else {
            Claim::Wait(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
        })
    }

    async fn settle(&self, lanes: &[Lane], lease: Lease) -> Result<(), BoxError> {
        let _: i64 = self
            .run(&self.settle, lanes, &[lease.id.to_string()])
            .await?;
        Ok(())
    }

    async fn pause(&self, lanes: &[Lane], wait: Duration) -> Result<(), BoxError> {
        let _: i64 = self
            .run(&self.pause, lanes, &[micros(wait).to_string()])
            .await?;
        Ok(())
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}
