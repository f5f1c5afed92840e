/*
 * Internal to controller/api/: the handlers api.c routes to. Each takes a
 * request context whose ids from the path are set, and answers it.
 */
#ifndef BRAID_CONTROLLER_API_API_ROUTES_H
#define BRAID_CONTROLLER_API_API_ROUTES_H

#include "controller/api/api_req.h"

/* broadcasters.c */
void braid_api_room_caps(braid_api_req_t *rq);
void braid_api_bcast_create(braid_api_req_t *rq);
void braid_api_bcast_delete(braid_api_req_t *rq);
void braid_api_bcast_join(braid_api_req_t *rq);
/* bcast_transports.c */
void braid_api_transport_create(braid_api_req_t *rq);
void braid_api_transport_connect(braid_api_req_t *rq);
/* bcast_media.c */
void braid_api_produce(braid_api_req_t *rq);
void braid_api_consume(braid_api_req_t *rq);
void braid_api_consumer_resume(braid_api_req_t *rq);
/* bcast_data.c */
void braid_api_produce_data(braid_api_req_t *rq);
void braid_api_consume_data(braid_api_req_t *rq);

#endif
