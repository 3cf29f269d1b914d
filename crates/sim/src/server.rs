//! The accept loop: our own instead of `axum::serve`, because a fault must be able to drop a
//! connection without answering, which a handler cannot do through `axum::serve`.
//!
//! Each connection gets a [`ConnControl`] in its request extensions; a handler that calls
//! [`ConnControl::drop_connection`] makes the connection task drop the hyper connection future,
//! which closes the socket with nothing written.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{Notify, oneshot};
use tokio::task::{JoinHandle, JoinSet};

/// Lets a handler close its own connection without answering.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnControl {
    abort: Arc<Notify>,
}

impl ConnControl {
    /// Closes the connection; never returns, so the handler's answer is never written.
    pub(crate) async fn drop_connection(&self) -> Infallible {
        // `notify_one` keeps a permit if the connection task is not waiting at this instant.
        self.abort.notify_one();
        std::future::pending().await
    }
}

/// A running server; aborting it closes the listener and every open connection.
#[derive(Debug)]
pub(crate) struct ServerHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl ServerHandle {
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes every connection and waits until that is done.
    pub(crate) async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        // Dropping the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

/// Binds `addr` and serves `router` on it until the handle is dropped or shut down.
pub(crate) fn spawn(addr: SocketAddr, router: Router) -> io::Result<ServerHandle> {
    // Sockets and tasks need a tokio runtime; report its absence instead of panicking.
    tokio::runtime::Handle::try_current()
        .map_err(|_| io::Error::other("nodal-sim must be started inside a tokio runtime"))?;
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // A deep backlog so that a burst of 1000 concurrent connects is not refused.
    let listener = socket.listen(4096)?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(accept_loop(listener, router, stopped));
    Ok(ServerHandle {
        addr,
        stop: Some(stop),
        task,
    })
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: Router,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(error) => {
                    // E.g. too many open files: back off instead of spinning.
                    tracing::debug!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let control = ConnControl::default();
    let per_request = control.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(per_request.clone());
        let mut router = router.clone();
        async move {
            let request: Request = request.map(axum::body::Body::new);
            std::future::poll_fn(|cx| tower::Service::<Request>::poll_ready(&mut router, cx))
                .await?;
            tower::Service::<Request>::call(&mut router, request).await
        }
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        () = control.abort.notified() => {
            // Dropping `connection` here closes the socket without writing anything.
        }
    }
}
