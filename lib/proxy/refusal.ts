// What the proxy answers when it will not do what the docker CLI asked.

/** A refusal: the HTTP status and the message the docker CLI prints after "Error response from daemon:". */
export interface Refusal {
  status: number;
  message: string;
}
